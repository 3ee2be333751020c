extern alias generator;

using System;
using System.Collections.Generic;
using System.Linq;
using generator::RlsSchema.Generator.Migrations;
using generator::RlsSchema.Generator.Model;
using generator::RlsSchema.Generator.Model.TypedPolicies;
using generator::RlsSchema.Schema;
using OnDeleteAction = generator::RlsSchema.ReferentialAction;

namespace RlsSchema.Migrations.Tests;

/// <summary>One random edit; its numbers pick what to change, modulo what the model holds, so any array of them is valid.</summary>
internal readonly record struct Edit(int Kind, int A, int B, int C)
{
    public const int Kinds = 28;

    public static readonly CsCheck.Gen<Edit> Gen =
        CsCheck.Gen.Select(CsCheck.Gen.Int[0, Kinds - 1], CsCheck.Gen.Int[0, 1000], CsCheck.Gen.Int[0, 1000], CsCheck.Gen.Int[0, 1000], (k, a, b, c) => new Edit(k, a, b, c));
}

/// <summary>
/// A model the random edits change: tables with an identity key and an owner column, typed columns with defaults,
/// checks, indexes named as the generator names them, FORCE RLS, policies of every command for the runtime's roles and
/// one more, and foreign keys between the tables (a cycle included) with every ON DELETE action; some tables live in a
/// schema other than <c>public</c>, typed policies reach the referenced row through a foreign key (translated as the
/// generator translates <c>t.Parent.UserId == Auth.UserId</c>), and a <c>[Membership]</c> entity comes and goes (its
/// tenant type changing) with policies that call its function. Renames are recorded as <c>[RenamedFrom]</c> would record them.
/// </summary>
internal sealed class RandomModel
{
    private static readonly string[][] TypeFamilies =
    [
        ["integer", "bigint", "numeric"],
        ["text", "varchar(40)", "varchar(80)"],
        ["boolean"],
        ["date"],
        ["timestamptz"],
        ["uuid"],
    ];

    private static readonly string[] Expressions = ["true", "false", "(select auth.user_id()) = user_id", "user_id <> ''", "char_length(user_id) > 3"];
    private static readonly string[] Commands = ["ALL", "SELECT", "INSERT", "UPDATE", "DELETE"];
    private static readonly string[] CheckSql = ["char_length(user_id) < 200", "user_id <> 'nobody'", "user_id IS NOT NULL"];

    private const string MemberOf = "id::text = ANY (ARRAY(SELECT auth.member_tenants()::text))";

    private readonly List<Table> _tables = [];

    // The membership entity's tenant type, or null while the model has none.
    private string? _membership;
    private readonly Dictionary<(string Class, string? Property), string> _renames = [];
    private int _counter;

    public RandomModel() => AddTable(0);

    public IReadOnlyList<RenameInfo> Renames =>
        _renames.Select(r => new RenameInfo("global::M." + r.Key.Class, r.Key.Property, r.Value)).ToList();

    /// <summary>Applies an edit; returns what it did, or null when it did not apply.</summary>
    public string? Apply(Edit e)
    {
        Table? t = _tables.Count == 0 ? null : _tables[e.A % _tables.Count];
        switch (e.Kind)
        {
            case 0:
                return AddTable(e.B);
            case 1 when t is not null && _tables.Count > 1:
                _tables.Remove(t);

                // A key to the dropped table stays a plain column, as it would once the navigation is deleted.
                foreach (Table other in _tables)
                {
                    foreach (Reference gone in other.References.Where(r => r.Target == t).ToList())
                    {
                        other.References.Remove(gone);
                        other.Policies.RemoveAll(p => p.Through == gone.Property);
                        other.Columns.Add(gone.AsColumn());
                    }
                }

                return "drop table " + t.Name;
            case 2 when t is not null:
                {
                    string old = t.Name;
                    t.Name = "t" + Next();
                    _renames[(t.Class, null)] = old;
                    return "rename table " + old + " to " + t.Name;
                }

            case 3 when t is not null:
                {
                    var family = TypeFamilies[e.B % TypeFamilies.Length];
                    string type = family[e.C % family.Length];
                    var column = new Column("P" + Next(), "c" + _counter, type, e.C % 3 == 0, e.B % 2 == 0 ? DefaultFor(type, e.C) : null);
                    t.Columns.Add(column);
                    return "add column " + t.Name + "." + column.Name + " " + type + (column.Nullable ? " null" : " not null") + (column.Default is null ? "" : " default " + column.Default);
                }

            case 4 when t?.Columns.Count > 0:
                {
                    var column = t.Columns[e.B % t.Columns.Count];
                    t.Columns.Remove(column);
                    t.Indexes.RemoveAll(i => i.Properties.Contains(column.Property));
                    return "drop column " + t.Name + "." + column.Name;
                }

            case 5 when t?.Columns.Count > 0:
                {
                    var column = t.Columns[e.B % t.Columns.Count];
                    string old = column.Name;
                    column.Name = "c" + Next();
                    _renames[(t.Class, column.Property)] = old;
                    return "rename column " + t.Name + "." + old + " to " + column.Name;
                }

            case 6 when t?.Columns.Count > 0:
                {
                    var column = t.Columns[e.B % t.Columns.Count];
                    var family = TypeFamilies.First(f => f.Contains(column.Type));
                    string type = family[e.C % family.Length];
                    if (type == column.Type)
                    {
                        return null;
                    }

                    string old = column.Type;
                    column.Type = type;
                    return "retype " + t.Name + "." + column.Name + " " + old + " -> " + type;
                }

            case 7 when t?.Columns.Count > 0:
                {
                    var column = t.Columns[e.B % t.Columns.Count];
                    column.Nullable = !column.Nullable;
                    return (column.Nullable ? "drop not null " : "set not null ") + t.Name + "." + column.Name;
                }

            case 8 when t?.Columns.Count > 0:
                {
                    var column = t.Columns[e.B % t.Columns.Count];
                    column.Default = e.C % 3 == 0 ? null : DefaultFor(column.Type, e.C);
                    return "default " + t.Name + "." + column.Name + " = " + (column.Default ?? "none");
                }

            case 9 when t is not null:
                {
                    var check = (e.C % 2 == 0 ? null : "ck" + Next(), CheckSql[e.B % CheckSql.Length]);
                    if (t.Checks.Contains(check))
                    {
                        return null;
                    }

                    t.Checks.Add(check);
                    return "add check on " + t.Name + ": " + check.Item2;
                }

            case 10 when t?.Checks.Count > 0:
                t.Checks.RemoveAt(e.B % t.Checks.Count);
                return "remove a check on " + t.Name;
            case 11 when t is not null:
                {
                    var properties = new List<string> { "UserId" };
                    properties.AddRange(t.Columns.Select(c => c.Property));
                    var first = properties[e.B % properties.Count];
                    var chosen = e.C % 2 == 0 || properties.Count < 2 ? new[] { first } : new[] { first, properties[(e.B + 1) % properties.Count] };
                    var index = new Index(chosen, e.C % 3 == 0);
                    if (t.Indexes.Any(i => i.Properties.SequenceEqual(index.Properties)))
                    {
                        return null;
                    }

                    t.Indexes.Add(index);
                    return "add index on " + t.Name;
                }

            case 12 when t?.Indexes.Count > 0:
                t.Indexes.RemoveAt(e.B % t.Indexes.Count);
                return "remove an index on " + t.Name;
            case 13 when t is not null:
                t.Force = !t.Force;
                return (t.Force ? "force" : "no force") + " rls on " + t.Name;
            case 14 when t is not null:
                {
                    var policy = NewPolicy("p" + Next(), Commands[e.B % Commands.Length], e.C);
                    t.Policies.Add(policy);
                    return "add policy " + policy.Name + " " + policy.Command + " on " + t.Name;
                }

            case 15 when t?.Policies.Count > 0:
                {
                    var policy = t.Policies[e.B % t.Policies.Count];
                    t.Policies.Remove(policy);
                    return "remove policy " + policy.Name + " on " + t.Name;
                }

            case 16 when t?.Policies.Count > 0:
                {
                    int i = e.B % t.Policies.Count;
                    var old = t.Policies[i];
                    t.Policies[i] = old with { Name = "p" + Next() };
                    return "rename policy " + old.Name + " to " + t.Policies[i].Name + " on " + t.Name;
                }

            case 17 when t?.Policies.Count > 0:
                {
                    int i = e.B % t.Policies.Count;
                    var old = t.Policies[i];
                    t.Policies[i] = NewPolicy(old.Name, old.Command, e.C) with { Roles = old.Roles, Restrictive = old.Restrictive };
                    return "alter policy expressions " + old.Name + " on " + t.Name;
                }

            case 18 when t?.Policies.Count > 0:
                {
                    int i = e.B % t.Policies.Count;
                    t.Policies[i] = t.Policies[i] with { Roles = RolesFor(e.C) };
                    return "alter policy roles " + t.Policies[i].Name + " on " + t.Name;
                }

            case 19 when t?.Policies.Count > 0:
                {
                    int i = e.B % t.Policies.Count;
                    var old = t.Policies[i];
                    t.Policies[i] = NewPolicy(old.Name, Commands[e.C % Commands.Length], e.C) with { Roles = old.Roles };
                    return "change policy command " + old.Name + " on " + t.Name + " to " + t.Policies[i].Command;
                }

            case 20 when t?.Policies.Count > 0:
                {
                    int i = e.B % t.Policies.Count;
                    t.Policies[i] = t.Policies[i] with { Restrictive = !t.Policies[i].Restrictive };
                    return "toggle restrictive " + t.Policies[i].Name + " on " + t.Name;
                }

            case 21 when t is not null:
                {
                    Table target = _tables[e.B % _tables.Count];
                    bool nullable = e.C % 2 == 0 || target == t;
                    var action = (OnDeleteAction)(e.C / 2 % 4);
                    if (action == OnDeleteAction.SetNull && !nullable)
                    {
                        action = OnDeleteAction.Cascade;
                    }

                    var reference = new Reference("R" + Next(), "r" + _counter + "_id", target, nullable, action);
                    t.References.Add(reference);
                    return "add foreign key " + t.Name + "." + reference.Name + " -> " + target.Name + " on delete " + action;
                }

            case 22 when t?.References.Count > 0:
                {
                    var reference = t.References[e.B % t.References.Count];
                    t.References.Remove(reference);
                    t.Policies.RemoveAll(p => p.Through == reference.Property);
                    return "drop foreign key column " + t.Name + "." + reference.Name;
                }

            case 23 when t?.References.Count > 0:
                {
                    var reference = t.References[e.B % t.References.Count];
                    var action = (OnDeleteAction)(e.C % 4);
                    if (action == reference.OnDelete || (action == OnDeleteAction.SetNull && !reference.Nullable))
                    {
                        return null;
                    }

                    t.References[t.References.IndexOf(reference)] = reference with { OnDelete = action };
                    return "on delete " + action + " for " + t.Name + "." + reference.Name;
                }

            case 24 when t?.References.Count > 0:
                {
                    // The navigation goes; the key stays as a plain column.
                    var reference = t.References[e.B % t.References.Count];
                    t.References.Remove(reference);
                    t.Policies.RemoveAll(p => p.Through == reference.Property);
                    t.Columns.Add(reference.AsColumn());
                    return "drop the constraint of " + t.Name + "." + reference.Name;
                }

            case 25 when _membership is null:
                _membership = e.B % 2 == 0 ? "bigint" : "text";
                return "add membership entity, tenant " + _membership;
            case 25 when e.B % 2 == 0:
                _membership = _membership == "bigint" ? "text" : "bigint";
                return "membership tenant type " + _membership;
            case 25:
                _membership = null;
                foreach (Table table in _tables)
                {
                    table.Policies.RemoveAll(p => p.Using == MemberOf);
                }

                return "drop membership entity and the policies calling it";
            case 26 when t is not null && _membership is not null:
                {
                    var policy = new Policy("m" + Next(), "SELECT", false, RolesFor(e.C), MemberOf, null);
                    t.Policies.Add(policy);
                    return "add membership policy " + policy.Name + " on " + t.Name;
                }

            case 27 when t is not null:
                {
                    // Through a foreign key the table has, or one added to it for the purpose.
                    if (t.References.Count == 0)
                    {
                        Table target = _tables[e.B % _tables.Count];
                        t.References.Add(new Reference("R" + Next(), "r" + _counter + "_id", target, true, OnDeleteAction.Cascade));
                    }

                    var reference = t.References[e.B % t.References.Count];
                    var policy = new Policy("n" + Next(), Commands[e.C % Commands.Length], false, RolesFor(e.C / 5), null, null) { Through = reference.Property };
                    t.Policies.Add(policy);
                    return "add typed policy " + policy.Name + " " + policy.Command + " on " + t.Name + " through " + reference.Name + " to " + reference.Target.Name;
                }

            default:
                return null;
        }
    }

    public SchemaModel ToSchema() => new(_tables.Select(ToEntity)
        .Concat(_membership is null ? [] : [Models.Memberships(_membership)])
        .OrderBy(e => e.QualifiedTableName, StringComparer.Ordinal).ToImmutableEquatableArray());

    private string AddTable(int seed)
    {
        string id = Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var table = new Table("E" + id, "t" + id) { Schema = seed % 3 == 1 ? "app" : null };
        table.Policies.Add(NewPolicy("p" + Next(), Commands[seed % Commands.Length], seed));
        _tables.Add(table);
        return "add table " + (table.Schema is null ? "" : table.Schema + ".") + table.Name;
    }

    private int Next() => ++_counter;

    private static string? DefaultFor(string type, int pick) => type switch
    {
        "integer" or "bigint" or "numeric" => pick % 2 == 0 ? "0" : "7",
        "text" or "varchar(40)" or "varchar(80)" => pick % 2 == 0 ? "'x'" : "''",
        "boolean" => pick % 2 == 0 ? "false" : "true",
        "date" => "CURRENT_DATE",
        "timestamptz" => "now()",
        "uuid" => "gen_random_uuid()",
        _ => null,
    };

    private static string[] RolesFor(int pick) => (pick % 4) switch
    {
        0 => ["authenticated"],
        1 => ["anonymous"],
        2 => ["anonymous", "authenticated"],
        _ => ["editor"],
    };

    private static Policy NewPolicy(string name, string command, int pick)
    {
        string first = Expressions[pick % Expressions.Length];
        string second = Expressions[(pick / 5) % Expressions.Length];
        return command switch
        {
            "SELECT" or "DELETE" => new Policy(name, command, pick % 4 == 0, RolesFor(pick / 7), first, null),
            "INSERT" => new Policy(name, command, pick % 4 == 0, RolesFor(pick / 7), null, first),
            _ => new Policy(name, command, pick % 4 == 0, RolesFor(pick / 7), first, pick % 2 == 0 ? second : null),
        };
    }

    private static EntityModel ToEntity(Table t)
    {
        var columns = new List<ColumnModel> { Models.Key(), Models.Column("user_id", "text", defaultSql: "auth.user_id()", property: "UserId") };
        columns.AddRange(t.Columns.Select(c => Models.Column(c.Name, c.Type, c.Nullable, c.Default, c.Property)));
        columns.AddRange(t.References.Select(r => Models.Column(r.Name, "bigint", r.Nullable, null, r.Property)));
        string ColumnOf(string property) => columns.First(c => c.PropertyName == property).ColumnName;
        var indexes = t.Indexes.Select(i =>
        {
            var names = i.Properties.Select(ColumnOf).ToArray();
            return new IndexModel(t.Name + "_" + string.Join("_", names) + "_idx", names.ToImmutableEquatableArray(), i.Unique);
        });
        return Models.Entity(t.Name, [.. columns], [.. t.Policies.Select(p => ToPolicy(t, p))], [.. indexes]) with
        {
            ClassName = t.Class,
            FullyQualifiedName = "global::M." + t.Class,
            Schema = t.Schema,
            TableChecks = t.Checks.Select(c => new CheckModel(c.Name, c.Sql)).ToImmutableEquatableArray(),
            ForceRowLevelSecurity = t.Force,
            ForeignKeys = t.References
                .Select(r => new ForeignKeyModel { PropertyNames = new[] { r.Property }.ToImmutableEquatableArray(), PrincipalEntity = "global::M." + r.Target.Class, OnDelete = r.OnDelete })
                .ToImmutableEquatableArray(),
        };
    }

    // A typed policy: the row its foreign key references belongs to the signed-in user, for reading and writing alike.
    private static PolicyModel ToPolicy(Table t, Policy p)
    {
        var policy = Models.Policy(p.Name, p.Command, p.Using, p.WithCheck, p.Roles) with { Restrictive = p.Restrictive };
        if (p.Through is null)
        {
            return policy;
        }

        Reference reference = t.References.First(r => r.Property == p.Through);
        var owned = new ThroughReference(reference.Property, "global::M." + reference.Target.Class,
            new Comparison(ComparisonOperator.Equal, new ColumnValue("UserId", false), new AuthValue(AuthValueKind.UserId, null)));
        return policy with
        {
            Using = p.Command == "INSERT" ? null : owned,
            WithCheck = p.Command is "INSERT" or "UPDATE" or "ALL" ? owned : null,
        };
    }

    private sealed class Table(string @class, string name)
    {
        public string Class { get; } = @class;

        public string Name { get; set; } = name;

        public string? Schema { get; init; }

        public List<Column> Columns { get; } = [];

        public List<(string? Name, string Sql)> Checks { get; } = [];

        public List<Index> Indexes { get; } = [];

        public bool Force { get; set; }

        public List<Policy> Policies { get; } = [];

        public List<Reference> References { get; } = [];
    }

    private sealed class Column(string property, string name, string type, bool nullable, string? @default)
    {
        public string Property { get; } = property;

        public string Name { get; set; } = name;

        public string Type { get; set; } = type;

        public bool Nullable { get; set; } = nullable;

        public string? Default { get; set; } = @default;
    }

    private sealed record Index(string[] Properties, bool Unique);

    private sealed record Reference(string Property, string Name, Table Target, bool Nullable, OnDeleteAction OnDelete)
    {
        // The key without its constraint: a plain bigint column keeping its name and nullability.
        public Column AsColumn() => new(Property, Name, "bigint", Nullable, null);
    }

    private sealed record Policy(string Name, string Command, bool Restrictive, string[] Roles, string? Using, string? WithCheck)
    {
        // The foreign key property a typed policy reaches the referenced row through; null for a SQL policy.
        public string? Through { get; init; }
    }
}
