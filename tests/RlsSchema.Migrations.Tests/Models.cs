using System.Linq;
using RlsSchema.Generator.Model;

namespace RlsSchema.Migrations.Tests;

/// <summary>Entity models written by hand, as the parser would produce them, for migrations between known models.</summary>
public static class Models
{
    public static ColumnModel Key() =>
        new("Id", "id", "bigint", "bigint", "long", "long", true, false, false, true, ValueGeneration.Identity, null, ImmutableEquatableArray<CheckModel>.Empty, false);

    public static ColumnModel Column(string name, string type, bool nullable = false, string? defaultSql = null) =>
        new(name, name, type, type, "object", "object", false, false, nullable, false, ValueGeneration.None, defaultSql, ImmutableEquatableArray<CheckModel>.Empty, defaultSql is not null);

    public static PolicyModel Policy(string name, string command, string? usingSql, string? withCheck = null, params string[] roles) =>
        new(name, command, (roles.Length == 0 ? ["authenticated"] : roles).ToImmutableEquatableArray(), usingSql, withCheck, false);

    public static EntityModel Entity(string table, ColumnModel[] columns, PolicyModel[] policies, IndexModel[]? indexes = null) =>
        new("M", "E_" + table, "global::M.E_" + table, "public", null, table,
            columns.ToImmutableEquatableArray(),
            ImmutableEquatableArray<CheckModel>.Empty,
            policies.ToImmutableEquatableArray(),
            (indexes ?? []).ToImmutableEquatableArray(),
            false, null, false);

    public static SchemaModel Schema(params EntityModel[] entities) =>
        new(entities.OrderBy(e => e.QualifiedTableName, System.StringComparer.Ordinal).ToImmutableEquatableArray());
}
