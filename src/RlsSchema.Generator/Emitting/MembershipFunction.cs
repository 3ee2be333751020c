using System.Linq;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Emitting
{
    /// <summary>The membership function the script creates from the <c>[Membership]</c> entity.</summary>
    internal static class MembershipFunction
    {
        /// <summary>
        /// The function listing the tenants the signed-in user belongs to (optionally only those where they hold a role),
        /// read from the membership entity's table.
        /// </summary>
        /// <param name="entity">The entity marked <c>[Membership]</c>.</param>
        /// <returns>Its signature as <c>to_regprocedure</c> reads it, its declaration, return type and SQL body.</returns>
        public static (string Signature, string Declaration, string Returns, string Body) MemberTenants(EntityModel entity)
        {
            MembershipModel membership = entity.Membership!;
            ColumnModel tenant = entity.Columns.First(c => c.PropertyName == membership.TenantProperty);
            ColumnModel member = entity.Columns.First(c => c.PropertyName == membership.MemberProperty);
            ColumnModel? role = membership.RoleProperty is null ? null : entity.Columns.First(c => c.PropertyName == membership.RoleProperty);
            string function = PolicySqlEmitter.MemberTenantsFunction;
            string table = SqlSyntax.QualifiedTable(entity.Schema, entity.TableName);
            string user = member.CastType == "uuid" ? "auth.uid()" : "auth.user_id()";
            string body = "SELECT m." + SqlSyntax.Identifier(tenant.ColumnName) + " FROM " + table + " m WHERE m." + SqlSyntax.Identifier(member.ColumnName) + " = " + user
                + (role is null ? "" : " AND (member_role IS NULL OR m." + SqlSyntax.Identifier(role.ColumnName) + " = member_role)");
            return (function + "(text)", function + "(member_role text DEFAULT NULL)", "SETOF " + tenant.CastType, body);
        }
    }
}
