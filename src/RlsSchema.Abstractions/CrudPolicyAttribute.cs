using System;

namespace RlsSchema
{
    /// <summary>
    /// Declares the CRUD row-level security policies of one role on the table, like Drizzle's
    /// <c>crudPolicy({ role, read, modify })</c>. Emits up to four policies named
    /// <c>crud-&lt;role&gt;-policy-select|insert|update|delete</c>: <see cref="Read"/> becomes the SELECT
    /// <c>USING</c>; <see cref="Modify"/> becomes the INSERT <c>WITH CHECK</c>, the UPDATE <c>USING</c> and
    /// <c>WITH CHECK</c>, and the DELETE <c>USING</c>.
    /// </summary>
    /// <example>
    /// <code>
    /// [CrudPolicy(Role = "authenticated", Owner = nameof(UserId))]                  // owner reads and modifies
    /// [CrudPolicy(Role = "authenticated", Read = "true", Owner = nameof(UserId))]   // everyone reads, owner modifies
    /// [CrudPolicy(Role = "anonymous", Read = "true", Modify = Policies.None)]      // anonymous reads only
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
#if RLSSCHEMA_GENERATOR
    internal
#else
    public
#endif
    sealed class CrudPolicyAttribute : Attribute
    {
        /// <summary>The database role the policies apply to, e.g. <c>authenticated</c> or <c>anonymous</c>. Required.</summary>
        public string Role { get; set; } = "";

        /// <summary>
        /// The property (use <c>nameof</c>) holding the owning user's id. Makes both <see cref="Read"/> and
        /// <see cref="Modify"/> default to <c>(select auth.user_id()) = &lt;owner column&gt;</c>, and indexes that column.
        /// </summary>
        public string? Owner { get; set; }

        /// <summary>
        /// The SQL boolean expression that decides which rows the role may read: a SQL expression,
        /// <see cref="Policies.True"/>, <see cref="Policies.False"/>, or <see cref="Policies.None"/> for no SELECT policy.
        /// Overrides what <see cref="Owner"/> implies.
        /// </summary>
        public string? Read { get; set; }

        /// <summary>
        /// The SQL boolean expression that decides which rows the role may insert, update and delete: a SQL
        /// expression, <see cref="Policies.True"/>, <see cref="Policies.False"/>, or <see cref="Policies.None"/> for no
        /// INSERT, UPDATE and DELETE policies. Overrides what <see cref="Owner"/> implies.
        /// </summary>
        public string? Modify { get; set; }

        /// <summary>
        /// The property (use <c>nameof</c>) holding the row's tenant id. Makes both <see cref="Read"/> and
        /// <see cref="Modify"/> default to "the signed-in user is a member of the row's tenant", per the entity marked
        /// <c>[Membership]</c>, and indexes that column. The tenant counterpart of <see cref="Owner"/>.
        /// </summary>
        public string? Tenant { get; set; }

        /// <summary>
        /// A permission the token's <c>permissions</c> array must hold to insert, update or delete, e.g.
        /// <c>announcements:write</c>: ANDed with what <see cref="Modify"/>, <see cref="Owner"/> or <see cref="Tenant"/> allow,
        /// or alone when none of them allows anything.
        /// </summary>
        public string? ModifyPermission { get; set; }
    }
}
