using System.Collections.Generic;
using System.Linq;
using CsCheck;

namespace RlsSchema.Security.Tests.Generator;

/// <summary>
/// Adversarial entity declarations: quotes and SQL in names and expressions, reserved words, unicode,
/// identifiers at and past PostgreSQL's 63-byte limit, huge classes, and C# that does not even compile.
/// </summary>
public static class HostileCorpus
{
    /// <summary>Legitimate PostgreSQL identifiers that only survive if quoted correctly everywhere.</summary>
    public static readonly string[] HostileIdentifiers =
    [
        "it's", "say \"hi\"", "x\"; DROP TABLE victims; --", "'; DROP TABLE victims; --", "robert'); drop table students;--",
        "select", "user", "order", "table", "Mixed Case", "CamelCase", "UPPER", "名前", "naïve tablé", "emoji 😀",
        "$1", "a$b", "back\\slash", "semi;colon", "new\nline", "tab\there", "/* c */", "-- c", "$rls$", "$$",
        "{0}", "{{x}}", "\"\"", "@x", "a'b\"c", "\u2028ls", " leading space", "trailing space ", "%s%n",
        new string('x', 63), string.Concat(Enumerable.Repeat("é", 31)),
    ];

    /// <summary>Names PostgreSQL cannot hold as given: empty, NUL, longer than 63 bytes (silently truncated), a lone surrogate.</summary>
    public static readonly string[] UnrepresentableIdentifiers =
    [
        "", "nul\0char", new string('y', 64), string.Concat(Enumerable.Repeat("é", 32)), "lone\uD800surrogate",
    ];

    /// <summary>Role names for policies; each is created in the database before the script runs.</summary>
    public static readonly string[] HostileRoles =
    [
        "it's", "say \"hi\"", "select", "名前", "Mixed Case", "x\"; DROP ROLE postgres; --", "$rls$",
    ];

    /// <summary>Boolean SQL over a todo-shaped table that is well formed, however odd its quotes and comments look.</summary>
    public static readonly string[] CleanExpressions =
    [
        "true", "false", "task <> 'it''s'", "task <> 'x\"y'", "(select auth.user_id()) = user_id", "char_length(task) > 0",
        "task !~ '$rls$'", "task <> 'a;b' AND task <> '--'", "task NOT LIKE '%/*%'",
        "user_id = (current_setting('request.jwt.claims', true)::jsonb ->> 'sub')", "task <> E'\\\\'", "task <> '{0}'",
    ];

    /// <summary>Well-formed SQL that a generator may still refuse to emit, being unable to check it (dollar quotes, escapes).</summary>
    public static readonly string[] OpaqueExpressions =
    [
        "task <> $$;drop table x;$$", "task <> $q$)$q$", "task <> U&'d\\0061t\\+000061'", "length(task) > $1",
    ];

    /// <summary>Expressions that try to break out of their parentheses, statement or comment.</summary>
    public static readonly string[] BreakoutExpressions =
    [
        "true) WITH CHECK (true", "true); DROP TABLE victims; --", "true --", "true /*", "*/ true", "true; SELECT 1",
        "(true", "true)", "'unterminated", "$$unterminated", "\"unterminated", "true\n); DROP TABLE victims; --",
        "1$$'$$'", "true) OR (true", "E'\\'') OR (true", "task <> E'\\'' OR true --'",
    ];

    /// <summary>The seed's todo columns.</summary>
    public static List<PropSpec> TodoProps() =>
    [
        new("Id", "long", Key: true),
        new("UserId", "string", DefaultSql: "auth.user_id()"),
        new("Task", "string", Check: "char_length(task) > 0"),
        new("IsComplete", "bool"),
        new("InsertedAt", "DateTimeOffset", DefaultSql: "now()"),
    ];

    private static EntitySpec Todo(string label, string? table = "todos", bool mustAccept = false, List<PropSpec>? props = null,
        List<CrudSpec>? cruds = null, List<PolicySpec>? policies = null, bool force = false, string className = "Todo") =>
        new(label, className, table, props ?? TodoProps(), cruds ?? [new CrudSpec("authenticated", Owner: "UserId")],
            policies ?? [], force, mustAccept);

    /// <summary>The fixed part of the corpus.</summary>
    public static IEnumerable<EntitySpec> Fixed()
    {
        yield return Todo("the seed's todo", mustAccept: true);
        yield return Todo("forced todo", mustAccept: true, force: true);

        foreach (string name in HostileIdentifiers)
        {
            yield return Todo($"table named {Show(name)}", table: name, mustAccept: true);
            List<PropSpec> props = TodoProps();
            props.Add(new PropSpec("Extra", "string", Nullable: true, Column: name));
            yield return Todo($"column named {Show(name)}", mustAccept: true, props: props);
        }

        foreach (string name in UnrepresentableIdentifiers)
        {
            yield return Todo($"table named {Show(name)}", table: name);
            List<PropSpec> props = TodoProps();
            props.Add(new PropSpec("Extra", "string", Nullable: true, Column: name));
            yield return Todo($"column named {Show(name)}", props: props);
            yield return Todo($"policy named {Show(name)}", policies: [new PolicySpec(name, PolicyCommand.Select, "authenticated", Using: "true")]);
        }

        // Quoted role names are legal in PostgreSQL; refusing them is the generator's choice, accepting them must quote them.
        foreach (string role in HostileRoles)
        {
            yield return Todo($"crud role {Show(role)}", mustAccept: role == "select", cruds: [new CrudSpec(role, Owner: "UserId")]);
            yield return Todo($"policy role {Show(role)}", mustAccept: role == "select", cruds: [],
                policies: [new PolicySpec("p " + role, PolicyCommand.All, role + ", authenticated", Using: "true", WithCheck: "true")]);
        }

        // A role long enough that crud-<role>-policy-<command> passes 63 bytes: truncated names would collide.
        yield return Todo("crud role of 50 bytes", cruds: [new CrudSpec(new string('r', 50), Owner: "UserId")]);

        foreach (string name in HostileIdentifiers.Take(12))
        {
            yield return Todo($"policy named {Show(name)}", mustAccept: true, cruds: [],
                policies: [new PolicySpec(name, PolicyCommand.Update, "authenticated", Using: "(select auth.user_id()) = user_id", WithCheck: "true", Restrictive: true)]);
        }

        foreach (string e in CleanExpressions)
        {
            yield return Todo($"clean read {Show(e)}", mustAccept: true, cruds: [new CrudSpec("authenticated", Read: e, Modify: "(select auth.user_id()) = user_id")]);
            yield return Todo($"clean policy {Show(e)}", mustAccept: true, cruds: [],
                policies: [new PolicySpec("p", PolicyCommand.All, "authenticated", Using: e, WithCheck: e)]);
        }

        foreach (string e in OpaqueExpressions)
        {
            yield return Todo($"opaque read {Show(e)}", cruds: [new CrudSpec("authenticated", Read: e, Modify: "(select auth.user_id()) = user_id")]);
        }

        foreach (string e in BreakoutExpressions)
        {
            yield return Todo($"breakout read {Show(e)}", cruds: [new CrudSpec("authenticated", Read: e, Modify: Policies.None)]);
            yield return Todo($"breakout select policy {Show(e)}", cruds: [],
                policies: [new PolicySpec("p", PolicyCommand.Select, "authenticated", Using: e)]);
            List<PropSpec> withCheck = TodoProps();
            withCheck[2] = withCheck[2] with { Check = e };
            yield return Todo($"breakout check {Show(e)}", props: withCheck);
            List<PropSpec> withDefault = TodoProps();
            withDefault[2] = withDefault[2] with { DefaultSql = e };
            yield return Todo($"breakout default {Show(e)}", props: withDefault);
        }

        foreach (string keyword in new[] { "@class", "@select", "@event", "@string", "@namespace" })
        {
            List<PropSpec> props = TodoProps();
            props.Add(new PropSpec(keyword, "string", Nullable: true));
            yield return Todo($"property {keyword}", mustAccept: true, props: props);
        }

        foreach (string clash in new[] { "Entity", "Session", "CancellationToken", "Sql", "Parameters", "Task1", "Result", "Row" })
        {
            List<PropSpec> props = TodoProps();
            props.Add(new PropSpec(clash, "string", Nullable: true));
            yield return Todo($"property named like generated code: {clash}", mustAccept: true, props: props);
        }

        yield return Todo("unicode property names", mustAccept: true, props: [.. TodoProps(), new PropSpec("Näme", "string", Nullable: true), new PropSpec("名前", "int")]);
        yield return Todo("class named with a keyword", table: null, mustAccept: true, className: "@class");
        yield return Todo("class name snake-cased", table: null, mustAccept: true, className: "ShoppingListItem");
        yield return Todo("two columns with one name",
            props: [.. TodoProps(), new PropSpec("A", "string", Column: "dup"), new PropSpec("B", "string", Column: "dup")]);
        yield return Todo("a column named like the snake case of another",
            props: [.. TodoProps(), new PropSpec("FooBar", "string"), new PropSpec("Other", "string", Column: "foo_bar")]);
        yield return Todo("owner names a missing property", cruds: [new CrudSpec("authenticated", Owner: "Nobody")]);
        yield return Todo("owner names an unmapped property",
            props: [.. TodoProps(), new PropSpec("Shadow", "string", NotMapped: true)], cruds: [new CrudSpec("authenticated", Owner: "Shadow")]);
        yield return Todo("crud policy without a role", cruds: [new CrudSpec("", Owner: "UserId")]);
        yield return Todo("two crud policies for one role",
            cruds: [new CrudSpec("authenticated", Owner: "UserId"), new CrudSpec("authenticated", Read: "true", Modify: "false")]);
        yield return Todo("two policies with one name", cruds: [],
            policies: [new PolicySpec("same", PolicyCommand.Select, "authenticated", Using: "true"), new PolicySpec("same", PolicyCommand.Delete, "authenticated", Using: "true")]);
        yield return Todo("policy with no roles", cruds: [], policies: [new PolicySpec("p", PolicyCommand.Select, "", Using: "true")]);
        yield return Todo("policy roles of commas only", cruds: [], policies: [new PolicySpec("p", PolicyCommand.Select, " , ,", Using: "true")]);
        yield return Todo("select policy with a with-check", cruds: [], policies: [new PolicySpec("p", PolicyCommand.Select, "authenticated", Using: "true", WithCheck: "true")]);
        yield return Todo("insert policy with a using", cruds: [], policies: [new PolicySpec("p", PolicyCommand.Insert, "authenticated", Using: "true", WithCheck: "true")]);
        yield return Todo("two keys", props: [.. TodoProps(), new PropSpec("Other", "long", Key: true)]);
        yield return Todo("no key", props: TodoProps().Skip(1).ToList());
        yield return Todo("max length", mustAccept: true, props: [.. TodoProps(), new PropSpec("Short", "string", Nullable: true, MaxLength: 3)]);
        yield return Todo("negative max length", props: [.. TodoProps(), new PropSpec("Short", "string", Nullable: true, MaxLength: -1)]);
        yield return Todo("unsupported property type", props: [.. TodoProps(), new PropSpec("Bag", "System.Collections.Generic.Dictionary<string, object>")]);
        yield return Todo("object property", props: [.. TodoProps(), new PropSpec("Anything", "object")]);
        yield return Todo("index on a hostile column", mustAccept: true, props: [.. TodoProps(), new PropSpec("Tag", "string", Column: "x\"; DROP TABLE victims; --", Index: true)]);
        yield return new EntitySpec("300 properties", "Huge", "huge", HugeProps(300), [new CrudSpec("authenticated", Owner: "UserId")], [], MustAccept: true);

        foreach ((string label, string source) in MalformedSources())
        {
            yield return new EntitySpec(label, "Broken", null, [], [], [], RawSource: source);
        }
    }

    /// <summary>A table with <paramref name="count"/> columns of mixed types, plus the owner column.</summary>
    public static List<PropSpec> HugeProps(int count)
    {
        var props = new List<PropSpec> { new("Id", "long", Key: true), new("UserId", "string", DefaultSql: "auth.user_id()") };
        string[] types = ["string", "int", "long", "bool", "DateTimeOffset", "Guid"];
        for (int i = props.Count; i < count; i++)
        {
            props.Add(new PropSpec($"Field{i}Value", types[i % types.Length], Nullable: i % 3 == 0));
        }

        return props;
    }

    /// <summary>C# that is broken in ways an editor sees while someone types.</summary>
    public static IEnumerable<(string Label, string Source)> MalformedSources()
    {
        const string Usings = "using System; using System.ComponentModel.DataAnnotations; using System.ComponentModel.DataAnnotations.Schema; using RlsSchema;\n";
        yield return ("unterminated attribute string", Usings + "[Table(\"todos)]\n[CrudPolicy(Role = \"authenticated\", Owner = nameof(UserId))]\npublic partial class Broken { [Key] public long Id { get; set; } public string UserId { get; set; } = \"\"; }");
        yield return ("missing closing brace", Usings + "[Table(\"todos\")]\n[CrudPolicy(Role = \"authenticated\", Owner = nameof(UserId))]\npublic partial class Broken { [Key] public long Id { get; set; } public string UserId { get; set; } = \"\";");
        yield return ("non-constant table name", Usings + "[Table(Broken.Name)]\n[CrudPolicy(Role = \"authenticated\")]\npublic partial class Broken { public static string Name = \"x\"; [Key] public long Id { get; set; } }");
        yield return ("owner nameof of a missing member", Usings + "[Table(\"todos\")]\n[CrudPolicy(Role = \"authenticated\", Owner = nameof(Nobody))]\npublic partial class Broken { [Key] public long Id { get; set; } }");
        yield return ("null role", Usings + "[Table(\"todos\")]\n[CrudPolicy(Role = null!, Read = null, Modify = null)]\npublic partial class Broken { [Key] public long Id { get; set; } }");
        yield return ("null table name", Usings + "[Table(null!)]\n[CrudPolicy(Role = \"authenticated\", Read = \"true\", Modify = \"false\")]\npublic partial class Broken { [Key] public long Id { get; set; } }");
        yield return ("null check and default", Usings + "[Table(\"todos\")]\n[CrudPolicy(Role = \"authenticated\", Read = \"true\", Modify = \"false\")]\npublic partial class Broken { [Key] public long Id { get; set; } [Check(null!)] [DefaultSql(null!)] public string? A { get; set; } }");
        yield return ("null index properties", Usings + "[Table(\"todos\")]\n[Index(null!)]\n[Index(\"Missing\", null!)]\n[CrudPolicy(Role = \"authenticated\", Read = \"true\", Modify = \"false\")]\npublic partial class Broken { [Key] public long Id { get; set; } }");
        yield return ("generic entity", Usings + "[Table(\"todos\")]\n[CrudPolicy(Role = \"authenticated\", Read = \"true\", Modify = \"false\")]\npublic partial class Broken<T> { [Key] public long Id { get; set; } public T? Value { get; set; } }");
        yield return ("nested entity", Usings + "public partial class Outer {\n[Table(\"todos\")]\n[CrudPolicy(Role = \"authenticated\", Read = \"true\", Modify = \"false\")]\npublic partial class Broken { [Key] public long Id { get; set; } } }");
        yield return ("private nested entity", Usings + "public partial class Outer {\n[Table(\"todos\")]\n[CrudPolicy(Role = \"authenticated\", Read = \"true\", Modify = \"false\")]\nprivate partial class Broken { [Key] public long Id { get; set; } } }");
        yield return ("static class", Usings + "[Table(\"todos\")]\n[CrudPolicy(Role = \"authenticated\", Read = \"true\", Modify = \"false\")]\npublic static partial class Broken { }");
        yield return ("struct entity", Usings + "[Table(\"todos\")]\n[CrudPolicy(Role = \"authenticated\", Read = \"true\", Modify = \"false\")]\npublic partial struct Broken { [Key] public long Id { get; set; } }");
        yield return ("record entity", Usings + "[Table(\"todos\")]\n[CrudPolicy(Role = \"authenticated\", Read = \"true\", Modify = \"false\")]\npublic partial record Broken { [Key] public long Id { get; set; } }");
        yield return ("get-only and static properties", Usings + "[Table(\"todos\")]\n[CrudPolicy(Role = \"authenticated\", Read = \"true\", Modify = \"false\")]\npublic partial class Broken { [Key] public long Id { get; } public static string S { get; set; } = \"\"; public int this[int i] => i; }");
        yield return ("global namespace, two tables of one name", Usings + "[Table(\"todos\")]\n[CrudPolicy(Role = \"authenticated\", Read = \"true\", Modify = \"false\")]\npublic partial class Broken { [Key] public long Id { get; set; } }\n[Table(\"todos\")]\n[CrudPolicy(Role = \"authenticated\", Read = \"true\", Modify = \"false\")]\npublic partial class Broken2 { [Key] public long Id { get; set; } }");
        yield return ("attribute on a method", Usings + "public partial class Broken { [Key] public long Id() => 1; [Check(\"true\")] public void M() { } }");
        yield return ("policy command out of range", Usings + "[Table(\"todos\")]\n[Policy(\"p\", Command = (PolicyCommand)42, Roles = \"authenticated\", Using = \"true\")]\npublic partial class Broken { [Key] public long Id { get; set; } }");
        yield return ("garbage", "[[[Table(\"\u0000\")] class { { ) ; partial partial $\"{");
        yield return ("empty file", "");
    }

    /// <summary>A random declaration assembled from the hostile pools, for the CsCheck part of the corpus.</summary>
    public static Gen<EntitySpec> Random()
    {
        // Mostly legal input, so that most declarations reach PostgreSQL; a little of everything else.
        Gen<string> identifier = Gen.Frequency(
            (12, Gen.OneOf(HostileIdentifiers)),
            (1, Gen.OneOf(UnrepresentableIdentifiers)),
            (3, Gen.Char["abcXYZ_ '\";-$é名/*\\"].Array[1, 12].Select(cs => new string(cs))));
        Gen<string?> expression = Gen.Frequency(
            (14, Gen.OneOf(CleanExpressions).Select(e => (string?)e)),
            (1, Gen.OneOf(OpaqueExpressions).Select(e => (string?)e)),
            (1, Gen.OneOf(BreakoutExpressions).Select(e => (string?)e)),
            (1, Gen.Const((string?)Policies.None)),
            (2, Gen.Const((string?)null)));
        Gen<string> role = Gen.Frequency(
            (8, Gen.Const("authenticated")), (2, Gen.Const("anonymous")), (1, Gen.Const("select")), (1, Gen.OneOf(HostileRoles)));
        string[] types = ["string", "int", "long", "bool", "DateTimeOffset", "Guid"];
        Gen<PropSpec> extraProp = Gen.Select(Gen.Int[0, 999], Gen.OneOf(types), Gen.Bool, identifier, Gen.Int[0, 2],
            (n, type, nullable, column, named) => new PropSpec($"Extra{n}", type, nullable, named == 0 ? null : column));
        Gen<CrudSpec> crud = Gen.Select(role, Gen.Bool, expression, expression,
            (role, owned, read, modify) => owned ? new CrudSpec(role, Owner: "UserId", Read: read is null ? null : read) : new CrudSpec(role, Read: read ?? "true", Modify: modify ?? "false"));
        Gen<PolicySpec> policy = Gen.Select(identifier, Gen.Enum<PolicyCommand>(), role, expression, expression, Gen.Bool,
            (name, command, role, use, check, restrictive) => new PolicySpec(name, command, role,
                command == PolicyCommand.Insert ? null : use == Policies.None ? null : use ?? "true",
                command is PolicyCommand.Select or PolicyCommand.Delete ? null : check == Policies.None ? null : check ?? "true",
                restrictive));
        return Gen.Select(identifier, extraProp.Array[0, 6], crud.Array[0, 2], policy.Array[0, 2], Gen.Bool,
            (table, extras, cruds, policies, force) =>
                new EntitySpec($"random: table {Show(table)}", "Todo", table, [.. TodoProps(), .. extras.DistinctBy(p => p.Name)], cruds.DistinctBy(c => c.Role).ToArray(), policies.DistinctBy(p => p.Name).ToArray(), force));
    }

    /// <summary>Shows control characters and quotes visibly in test names.</summary>
    public static string Show(string s) => EntitySource.Literal(s.Length > 40 ? s[..20] + "…(" + s.Length + " chars)" : s);
}
