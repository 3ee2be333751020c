using System;

namespace RlsSchema
{
    /// <summary>
    /// A row-level security policy: <c>CREATE POLICY "name" ON table AS PERMISSIVE|RESTRICTIVE FOR command TO roles
    /// USING (...) WITH CHECK (...)</c>. On the entity class it is the raw form, with SQL in <see cref="Using"/> and
    /// <see cref="WithCheck"/>. On a static method of the entity that takes the entity and returns <c>bool</c> it is a
    /// typed policy: the generator translates the method's expression body to SQL at compile time, for <c>USING</c> and,
    /// where the command has one, <c>WITH CHECK</c>.
    /// </summary>
    /// <example>
    /// <code>
    /// [Policy("Individuals can view their own todos.", Command = PolicyCommand.Select, Roles = "authenticated",
    ///         Using = "(select auth.user_id()) = user_id")]
    ///
    /// // The condition is also the WITH CHECK: the updated row must stay in a tenant the user belongs to.
    /// [Policy(Command = PolicyCommand.Update, Roles = "authenticated")]
    /// static bool AssigneeUpdates(TaskItem t) => t.AssigneeId == Auth.UserId &amp;&amp; Auth.IsMemberOf(t.Project.OrganizationId);
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
#if RLSSCHEMA_GENERATOR
    internal
#else
    public
#endif
    sealed class PolicyAttribute : Attribute
    {
        /// <summary>Creates a policy with the given name, unique on its table.</summary>
        /// <param name="name">The policy's name.</param>
        public PolicyAttribute(string name) => Name = name;

        /// <summary>Creates a typed policy named after its method, in kebab case (<c>MembersRead</c> becomes <c>members-read</c>).</summary>
        public PolicyAttribute()
        {
        }

        /// <summary>The policy's name, unique on its table; null on a typed policy named after its method.</summary>
        public string? Name { get; }

        /// <summary>The command the policy applies to. Defaults to <see cref="PolicyCommand.All"/>.</summary>
        public PolicyCommand Command { get; set; } = PolicyCommand.All;

        /// <summary>The roles the policy applies to, separated by commas, e.g. <c>"authenticated, anonymous"</c>. Required.</summary>
        public string Roles { get; set; } = "";

        /// <summary>The <c>USING</c> expression: which existing rows are visible or affected. Raw policies only.</summary>
        public string? Using { get; set; }

        /// <summary>The <c>WITH CHECK</c> expression: which new or changed rows are allowed. Raw policies only.</summary>
        public string? WithCheck { get; set; }

        /// <summary>When true the policy is <c>RESTRICTIVE</c> (ANDed with the others); otherwise <c>PERMISSIVE</c> (ORed).</summary>
        public bool Restrictive { get; set; }
    }
}
