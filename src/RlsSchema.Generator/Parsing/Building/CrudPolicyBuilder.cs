using System.Collections.Generic;
using System.Linq;
using RlsSchema.Generator.Diagnostics;
using RlsSchema.Generator.Model;
using RlsSchema.Generator.Model.TypedPolicies;
using RlsSchema.Generator.Parsing.Checks;
using RlsSchema.Generator.Parsing.Configuration;

namespace RlsSchema.Generator.Parsing.Building
{
    /// <summary>
    /// Expands one <c>[CrudPolicy]</c> into up to four policies, as Drizzle's <c>crudPolicy</c> does:
    /// <c>crud-&lt;role&gt;-policy-select</c> uses Read; <c>-insert</c>, <c>-update</c> and <c>-delete</c> use Modify.
    /// Owner makes both default to "the owner column is the signed-in user", Tenant to "the signed-in user is a member
    /// of the row's tenant"; ModifyPermission adds "the token holds this permission" to Modify.
    /// </summary>
    internal static class CrudPolicyBuilder
    {
        /// <param name="context">The entity being parsed.</param>
        /// <param name="crud">What the attribute says.</param>
        /// <param name="columns">The entity's columns, to resolve Owner.</param>
        /// <param name="policies">Receives the policies.</param>
        /// <param name="tenants">Receives the tenant column, when Tenant names a valid one (it gets an index).</param>
        /// <param name="membershipUses">Receives the membership check Tenant makes.</param>
        /// <returns>The owner column, when Owner names a valid one (its column gets an index), else null.</returns>
        public static OwnerModel? Build(ParseContext context, CrudPolicyConfiguration crud, IReadOnlyList<MappedColumn> columns, List<BuiltPolicy> policies, List<MappedColumn> tenants, List<MembershipUse> membershipUses)
        {
            string role = crud.Role.Value?.Trim() ?? "";
            if (role.Length == 0)
            {
                context.Report(DiagnosticDescriptors.MissingRole, crud.Role.Location, "CrudPolicy", context.Name);
                return null;
            }

            if (!SqlNames.IsValidRoleName(role))
            {
                context.Report(DiagnosticDescriptors.InvalidRoleName, crud.Role.Location, role, context.Name);
                return null;
            }

            string what = "CrudPolicy for '" + role + "'";
            OwnerModel? owner = crud.Owner.Given ? ResolveOwner(context, crud.Owner, columns) : null;
            PolicyExpression? ownerCondition = owner is null ? null : new OwnerPolicyExpression(owner);
            if (crud.Tenant.Given && ResolveTenant(context, crud.Tenant, what, columns) is { } tenant)
            {
                // Members of the row's tenant, per the [Membership] entity: the tenant counterpart of Owner.
                tenants.Add(tenant);
                membershipUses.Add(new MembershipUse(tenant.Column.CastType, false, crud.Tenant.Location));
                var member = new MemberOf(new ColumnValue(tenant.Symbol.Name, tenant.Column.IsNullable), null);
                ownerCondition = ownerCondition is null ? member : new AndExpression(ownerCondition, member);
            }

            PolicyExpression? read = Part(context, crud.Read, nameof(CrudPolicyAttribute.Read), what, ownerCondition);
            PolicyExpression? modify = Part(context, crud.Modify, nameof(CrudPolicyAttribute.Modify), what, ownerCondition);
            if (crud.ModifyPermission.Given)
            {
                if (string.IsNullOrWhiteSpace(crud.ModifyPermission.Value))
                {
                    context.Report(DiagnosticDescriptors.EmptyExpression, crud.ModifyPermission.Location, what, context.Name, nameof(CrudPolicyAttribute.ModifyPermission));
                    return owner;
                }

                // Without another modify rule the permission alone decides; with one, both must hold.
                var permission = new HasPermission(crud.ModifyPermission.Value!.Trim());
                modify = modify is null ? permission : new AndExpression(modify, permission);
            }

            if (!crud.Read.Given && !crud.Modify.Given && !crud.Owner.Given && !crud.Tenant.Given && !crud.ModifyPermission.Given)
            {
                context.Report(DiagnosticDescriptors.EmptyExpression, crud.Location, what, context.Name, "Read and Modify (set Owner, Tenant, Read or Modify)");
                return owner;
            }

            if (role == "authenticated" && modify is SqlPolicyExpression { Sql: var modifySql } && SqlFragmentValidator.IsAlwaysTrue(modifySql))
            {
                context.Report(DiagnosticDescriptors.ModifyAlwaysTrue, crud.Modify.Location, what, context.Name, "insert, update and delete");
            }

            // PostgreSQL would truncate a longer name, and the four policies would then share one name.
            string prefix = "crud-" + role + "-policy-";
            if (!SqlInputChecks.Name(context, "policy", prefix + "select", crud.Role.Location))
            {
                return owner;
            }

            var roles = new[] { role }.ToImmutableEquatableArray();
            if (read is not null)
            {
                policies.Add(Policy(prefix + "select", PolicyCommand.Select, roles, read, null, crud.Location));
            }

            if (modify is not null)
            {
                policies.Add(Policy(prefix + "insert", PolicyCommand.Insert, roles, null, modify, crud.Location));
                policies.Add(Policy(prefix + "update", PolicyCommand.Update, roles, modify, modify, crud.Location));
                policies.Add(Policy(prefix + "delete", PolicyCommand.Delete, roles, modify, null, crud.Location));
            }

            return owner;
        }

        private static OwnerModel? ResolveOwner(ParseContext context, NamedArgument owner, IReadOnlyList<MappedColumn> columns)
        {
            MappedColumn? property = owner.Value is null ? null : columns.FirstOrDefault(p => p.Symbol.Name == owner.Value);
            if (property is null)
            {
                context.Report(DiagnosticDescriptors.OwnerNotFound, owner.Location, context.Name, owner.Value ?? "null");
                return null;
            }

            UserIdType? idType = property.Column.CastType switch
            {
                "text" => UserIdType.Text,
                "uuid" => UserIdType.Uuid,
                _ => null,
            };
            if (idType is null)
            {
                context.Report(DiagnosticDescriptors.OwnerWrongType, owner.Location, context.Name, property.Symbol.Name, property.Symbol.Type.ToDisplayString());
                return null;
            }

            return new OwnerModel(property.Symbol.Name, property.Column.ColumnName, idType.Value);
        }

        private static MappedColumn? ResolveTenant(ParseContext context, NamedArgument tenant, string what, IReadOnlyList<MappedColumn> columns)
        {
            MappedColumn? property = tenant.Value is null ? null : columns.FirstOrDefault(p => p.Symbol.Name == tenant.Value);
            if (property is null)
            {
                context.Report(DiagnosticDescriptors.InvalidAttributeUsage, tenant.Location, what, context.Name,
                    "Tenant names '" + (tenant.Value ?? "null") + "', which is not a mapped property; use nameof(<property>)");
            }

            return property;
        }

        // Not written, or written as null: what Owner implies. Policies.None: no policy for this part.
        private static PolicyExpression? Part(ParseContext context, NamedArgument part, string partName, string what, PolicyExpression? ownerCondition)
        {
            if (!part.Given || part.Value is null)
            {
                return ownerCondition;
            }

            if (part.Value == Policies.None)
            {
                return null;
            }

            if (part.Value.Trim().Length == 0)
            {
                context.Report(DiagnosticDescriptors.EmptyExpression, part.Location, what, context.Name, partName);
                return null;
            }

            string? sql = SqlInputChecks.Fragment(context, part.Value, what + " (" + partName + ")", part.Location, warnPerRow: true);
            return sql is null ? null : new SqlPolicyExpression(sql);
        }

        private static BuiltPolicy Policy(string name, PolicyCommand command, ImmutableEquatableArray<string> roles, PolicyExpression? usingCondition, PolicyExpression? withCheck, LocationInfo? location) =>
            new BuiltPolicy(
                new PolicyModel { Name = name, Command = command, Roles = roles, Using = usingCondition, WithCheck = withCheck, Restrictive = false },
                location);
    }
}
