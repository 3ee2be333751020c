using Microsoft.CodeAnalysis;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Parsing.Configuration
{
    /// <summary>What one <c>[CrudPolicy]</c> says, unchecked.</summary>
    /// <param name="Location">Where the attribute is written.</param>
    /// <param name="Role">The <c>Role</c> argument.</param>
    /// <param name="Owner">The <c>Owner</c> argument (a property name).</param>
    /// <param name="Read">The <c>Read</c> argument.</param>
    /// <param name="Modify">The <c>Modify</c> argument.</param>
    /// <param name="Tenant">The <c>Tenant</c> argument (a property name).</param>
    /// <param name="ModifyPermission">The <c>ModifyPermission</c> argument.</param>
    internal sealed record CrudPolicyConfiguration(LocationInfo? Location, NamedArgument Role, NamedArgument Owner, NamedArgument Read, NamedArgument Modify, NamedArgument Tenant, NamedArgument ModifyPermission)
    {
        /// <summary>Reads one <c>[CrudPolicy]</c>.</summary>
        public static CrudPolicyConfiguration From(ParseContext context, AttributeData attribute)
        {
            LocationInfo? at = context.LocationOf(attribute);
            return new CrudPolicyConfiguration(
                at,
                NamedArgument.From(context, attribute, nameof(CrudPolicyAttribute.Role), at),
                NamedArgument.From(context, attribute, nameof(CrudPolicyAttribute.Owner), at),
                NamedArgument.From(context, attribute, nameof(CrudPolicyAttribute.Read), at),
                NamedArgument.From(context, attribute, nameof(CrudPolicyAttribute.Modify), at),
                NamedArgument.From(context, attribute, nameof(CrudPolicyAttribute.Tenant), at),
                NamedArgument.From(context, attribute, nameof(CrudPolicyAttribute.ModifyPermission), at));
        }
    }
}
