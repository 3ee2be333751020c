namespace RlsSchema.Generator.Model
{
    /// <summary>The <c>[Membership]</c> entity's columns: which user belongs to which tenant, and with which role.</summary>
    internal sealed record MembershipModel
    {
        /// <summary>The tenant id property.</summary>
        public required string TenantProperty { get; init; }

        /// <summary>The member's user id property.</summary>
        public required string MemberProperty { get; init; }

        /// <summary>The member's role property, or null.</summary>
        public string? RoleProperty { get; init; }
    }

    /// <summary>A place that checks membership, so the schema builder can check it against the <c>[Membership]</c> entity.</summary>
    /// <param name="TenantType">The column type of the tenant id being checked, e.g. <c>uuid</c>.</param>
    /// <param name="NeedsRole">Whether it checks a role (<c>HasMemberRole</c>).</param>
    /// <param name="Location">Where it is written.</param>
    internal sealed record MembershipUse(string TenantType, bool NeedsRole, LocationInfo? Location);
}
