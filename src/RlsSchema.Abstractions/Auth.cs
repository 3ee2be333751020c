using System;

namespace RlsSchema
{
    /// <summary>
    /// What a typed policy may ask about the signed-in user. Use these members only inside a static <c>[Policy]</c>
    /// method of an entity: the generator translates them to SQL (<c>auth.user_id()</c>, <c>auth.claim(...)</c>, ...)
    /// and PostgreSQL evaluates them with the claims of the session's token. Calling them from running code throws.
    /// </summary>
    /// <example>
    /// <code>
    /// [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
    /// static bool MembersRead(Project p) => Auth.IsMemberOf(p.OrganizationId);
    /// </code>
    /// </example>
#if RLSSCHEMA_GENERATOR
    internal
#else
    public
#endif
    static class Auth
    {
        private const string Message =
            "RlsSchema.Auth is evaluated by PostgreSQL, not by .NET: use it only inside a static [Policy] method of an entity, "
            + "which the generator translates to SQL.";

        /// <summary>The token's subject (<c>sub</c>) as text: <c>auth.user_id()</c>.</summary>
        public static string UserId => throw new InvalidOperationException(Message);

        /// <summary>The token's subject as a uuid, or null when it is not one: <c>auth.uid()</c>.</summary>
        public static Guid? Uid => throw new InvalidOperationException(Message);

        /// <summary>A top-level claim of the token as text, or null when absent: <c>auth.claim(name)</c>.</summary>
        /// <param name="name">The claim's name, e.g. <c>org_id</c>; a constant.</param>
        /// <returns>The claim's value.</returns>
        public static string? Claim(string name) => throw new InvalidOperationException(Message);

        /// <summary>Whether the token's <c>permissions</c> array holds the permission: <c>auth.has_permission(name)</c>.</summary>
        /// <param name="permission">The permission, e.g. <c>announcements:write</c>; a constant.</param>
        /// <returns>Whether the token grants it.</returns>
        public static bool HasPermission(string permission) => throw new InvalidOperationException(Message);

        /// <summary>Whether the signed-in user is a member of the tenant, per the <c>[Membership]</c> entity.</summary>
        /// <typeparam name="T">The tenant id's type; the same as the membership entity's tenant property.</typeparam>
        /// <param name="tenantId">The tenant's id, usually a column of the row, e.g. <c>p.OrganizationId</c>.</param>
        /// <returns>Whether a membership row links the user to the tenant.</returns>
        public static bool IsMemberOf<T>(T tenantId) => throw new InvalidOperationException(Message);

        /// <summary>Whether the signed-in user is a member of the tenant with the given role, per the <c>[Membership]</c> entity.</summary>
        /// <typeparam name="T">The tenant id's type; the same as the membership entity's tenant property.</typeparam>
        /// <param name="tenantId">The tenant's id, usually a column of the row.</param>
        /// <param name="role">The role in the tenant, e.g. <c>admin</c>; a constant. This is the membership's role, not a PostgreSQL role.</param>
        /// <returns>Whether a membership row links the user to the tenant with that role.</returns>
        public static bool HasMemberRole<T>(T tenantId, string role) => throw new InvalidOperationException(Message);

        /// <summary>
        /// Whether the signed-in user is a member of the tenant with the given role, per the <c>[Membership]</c> entity
        /// whose role property is the enum <typeparamref name="TRole"/> (stored by name).
        /// </summary>
        /// <typeparam name="T">The tenant id's type; the same as the membership entity's tenant property.</typeparam>
        /// <typeparam name="TRole">The membership role's enum.</typeparam>
        /// <param name="tenantId">The tenant's id, usually a column of the row.</param>
        /// <param name="role">The role in the tenant, a member of the enum written as a constant, e.g. <c>MemberRole.Owner</c>.</param>
        /// <returns>Whether a membership row links the user to the tenant with that role.</returns>
        public static bool HasMemberRole<T, TRole>(T tenantId, TRole role)
            where TRole : struct, Enum => throw new InvalidOperationException(Message);
    }
}
