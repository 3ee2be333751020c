using System;

namespace RlsSchema
{
    /// <summary>
    /// Marks the entity that records who belongs to which tenant (an organization, a team), so that
    /// <see cref="Auth.IsMemberOf{T}(T)"/> and <see cref="Auth.HasMemberRole{T}(T, string)"/> can be used in typed policies and
    /// <c>CrudPolicy.Tenant</c> can name a tenant column. The generator writes a <c>SECURITY DEFINER</c> function that reads
    /// this table, so membership checks work from any policy, including the membership table's own, without recursion.
    /// </summary>
    /// <example>
    /// <code>
    /// [Table("memberships")]
    /// [Membership(Tenant = nameof(OrganizationId), Member = nameof(UserId), Role = nameof(Role))]
    /// public partial class Membership { ... }
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
#if RLSSCHEMA_GENERATOR
    internal
#else
    public
#endif
    sealed class MembershipAttribute : Attribute
    {
        /// <summary>The property (use <c>nameof</c>) holding the tenant's id. Required.</summary>
        public string Tenant { get; set; } = "";

        /// <summary>The property (use <c>nameof</c>) holding the member's user id, compared with the token's <c>sub</c>. Required.</summary>
        public string Member { get; set; } = "";

        /// <summary>The property (use <c>nameof</c>) holding the member's role in the tenant, e.g. <c>admin</c>; needed by <see cref="Auth.HasMemberRole{T}(T, string)"/>.</summary>
        public string? Role { get; set; }
    }
}
