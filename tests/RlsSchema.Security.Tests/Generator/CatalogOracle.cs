using System;
using System.Collections.Generic;
using System.Linq;

namespace RlsSchema.Security.Tests.Generator;

/// <summary>A column as information_schema.columns should list it; a null data type means no type would be right.</summary>
public sealed record ExpectedColumn(string Name, string? DataType, bool Nullable);

/// <summary>A policy as pg_policies should list it.</summary>
public sealed record ExpectedPolicy(string Name, string Command, IReadOnlyList<string> Roles, bool Permissive, string? Using, string? WithCheck);

/// <summary>The catalog a declaration means.</summary>
public sealed record ExpectedCatalog(string Table, IReadOnlyList<ExpectedColumn> Columns, IReadOnlyList<ExpectedPolicy> Policies, bool Force, IReadOnlyList<string> Roles);

/// <summary>
/// Reads an <see cref="EntitySpec"/> the way DESIGN.md defines the attributes, independently of the generator,
/// and says which catalog PostgreSQL must end up with.
/// </summary>
public static class CatalogOracle
{
    /// <summary>The expected catalog of the declaration.</summary>
    public static ExpectedCatalog Expect(EntitySpec spec)
    {
        var columns = spec.Mapped.Select(p => new ExpectedColumn(
            EntitySpec.ColumnOf(p),
            p.MaxLength is null ? DataType(p.ClrType) : "*",
            p.Nullable && !p.Key)).ToList();

        var policies = new List<ExpectedPolicy>();
        foreach (CrudSpec crud in spec.Cruds)
        {
            string? owner = crud.Owner is null ? null : spec.Mapped.FirstOrDefault(p => p.Name == crud.Owner) is { } o
                ? $"(select auth.user_id()) = {QuoteIdent(EntitySpec.ColumnOf(o))}"
                : "<missing owner>";
            string read = crud.Read ?? owner ?? "<unspecified>";
            string modify = crud.Modify ?? owner ?? "<unspecified>";
            string prefix = $"crud-{crud.Role}-policy-";
            if (read != Policies.None)
            {
                policies.Add(new ExpectedPolicy(prefix + "select", "SELECT", [crud.Role], true, read, null));
            }

            if (modify != Policies.None)
            {
                policies.Add(new ExpectedPolicy(prefix + "insert", "INSERT", [crud.Role], true, null, modify));
                policies.Add(new ExpectedPolicy(prefix + "update", "UPDATE", [crud.Role], true, modify, modify));
                policies.Add(new ExpectedPolicy(prefix + "delete", "DELETE", [crud.Role], true, modify, null));
            }
        }

        foreach (PolicySpec p in spec.Policies)
        {
            string command = p.Command.ToString().ToUpperInvariant();
            string[] roles = p.Roles.Split(',').Select(r => r.Trim()).Where(r => r.Length > 0).ToArray();
            policies.Add(new ExpectedPolicy(
                p.Name,
                command,
                roles,
                !p.Restrictive,
                p.Command == PolicyCommand.Insert ? null : p.Using,
                p.Command is PolicyCommand.Select or PolicyCommand.Delete ? null : p.WithCheck));
        }

        IReadOnlyList<string> allRoles = policies.SelectMany(p => p.Roles).Distinct(StringComparer.Ordinal).ToList();
        return new ExpectedCatalog(spec.ExpectedTable, columns, policies, spec.Force, allRoles);
    }

    /// <summary>The information_schema data type of a C# type, or null for a type no column can hold.</summary>
    public static string? DataType(string clrType) => clrType switch
    {
        "string" => "text",
        "long" => "bigint",
        "int" => "integer",
        "bool" => "boolean",
        "DateTimeOffset" => "timestamp with time zone",
        "Guid" => "uuid",
        _ => null,
    };

    /// <summary>Quotes an identifier the way PostgreSQL's quote_ident always-quote form does.</summary>
    public static string QuoteIdent(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
