extern alias generator;

using System.Linq;
using generator::RlsSchema.Generator.Model;
using generator::RlsSchema.Schema;

namespace RlsSchema.Migrations.Tests;

/// <summary>Entity models written by hand, as the parser would produce them, for migrations between known models.</summary>
internal static class Models
{
    public static ColumnModel Key() => new()
    {
        PropertyName = "Id", ColumnName = "id", SqlType = "bigint", CastType = "bigint", ClrType = "long", ClrTypeWithoutNullable = "long",
        IsValueType = true, IsString = false, IsNullable = false, IsKey = true, Generation = ValueGeneration.Identity, Default = null,
        Checks = ImmutableEquatableArray<CheckModel>.Empty, UsesServerDefault = false,
    };

    public static ColumnModel Column(string name, string type, bool nullable = false, string? defaultSql = null, string? property = null) => new()
    {
        PropertyName = property ?? name, ColumnName = name, SqlType = type, CastType = type, ClrType = "object", ClrTypeWithoutNullable = "object",
        IsValueType = false, IsString = false, IsNullable = nullable, IsKey = false, Generation = ValueGeneration.None,
        Default = defaultSql is null ? null : new SqlColumnDefault(defaultSql), Checks = ImmutableEquatableArray<CheckModel>.Empty, UsesServerDefault = defaultSql is not null,
    };

    public static PolicyModel Policy(string name, string command, string? usingSql, string? withCheck = null, params string[] roles) => new()
    {
        Name = name,
        Command = System.Enum.Parse<generator::RlsSchema.PolicyCommand>(command, ignoreCase: true),
        Roles = (roles.Length == 0 ? ["authenticated"] : roles).ToImmutableEquatableArray(),
        Using = usingSql is null ? null : new SqlPolicyExpression(usingSql),
        WithCheck = withCheck is null ? null : new SqlPolicyExpression(withCheck),
        Restrictive = false,
    };

    public static EntityModel Entity(string table, ColumnModel[] columns, PolicyModel[] policies, IndexModel[]? indexes = null) => new()
    {
        Namespace = "M", ClassName = "E_" + table, FullyQualifiedName = "global::M.E_" + table, Accessibility = "public", Schema = null, TableName = table,
        Columns = columns.ToImmutableEquatableArray(),
        TableChecks = ImmutableEquatableArray<CheckModel>.Empty,
        Policies = policies.ToImmutableEquatableArray(),
        Indexes = (indexes ?? []).ToImmutableEquatableArray(),
        ForceRowLevelSecurity = false,
        Owner = null,
        ForeignKeys = ImmutableEquatableArray<ForeignKeyModel>.Empty,
        Collections = ImmutableEquatableArray<CollectionNavigationModel>.Empty,
        Membership = null,
    };

    /// <summary>
    /// A <c>[Membership]</c> entity, <c>memberships</c> (org_id of <paramref name="tenantType"/>, user_id, and a role
    /// column when asked), whose members read their own rows.
    /// </summary>
    public static EntityModel Memberships(string tenantType = "bigint", bool withRole = false)
    {
        ColumnModel[] columns = withRole
            ? [Key(), Column("org_id", tenantType, property: "OrgId"), Column("user_id", "text", property: "UserId"), Column("role", "text", defaultSql: "'member'", property: "Role")]
            : [Key(), Column("org_id", tenantType, property: "OrgId"), Column("user_id", "text", property: "UserId")];
        return Entity("memberships", columns, [Policy("own-read", "SELECT", "user_id = (select auth.user_id())")]) with
        {
            Membership = new MembershipModel { TenantProperty = "OrgId", MemberProperty = "UserId", RoleProperty = withRole ? "Role" : null },
        };
    }

    public static SchemaModel SchemaOf(params EntityModel[] entities) =>
        new(entities.OrderBy(e => e.QualifiedTableName, System.StringComparer.Ordinal).ToImmutableEquatableArray());
}
