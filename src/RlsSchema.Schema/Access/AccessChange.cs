namespace RlsSchema.Schema
{
    /// <summary>What a migration does to one role's access to one command on one table.</summary>
    internal enum AccessEffect
    {
        /// <summary>The role may do more: a permissive policy, a grant or a role added, a condition loosened, a restrictive policy removed.</summary>
        Widens,

        /// <summary>The role may do less: the reverse of <see cref="Widens"/>.</summary>
        Narrows,

        /// <summary>A condition changed in a way that neither plainly loosens nor tightens it, or changes pull both ways: review it.</summary>
        Changes,
    }

    /// <summary>One line of an access report: a table, a role and a command, the effect, and why.</summary>
    /// <param name="Table">The table (<c>public.*</c> for blanket grants on every table).</param>
    /// <param name="Role">The role (<c>public</c> for a policy or a change that applies to every role).</param>
    /// <param name="Command">SELECT, INSERT, UPDATE or DELETE.</param>
    /// <param name="Effect">The effect, all the reasons taken together.</param>
    /// <param name="Reasons">What changed, one sentence each.</param>
    internal sealed record AccessChange(TableName Table, string Role, string Command, AccessEffect Effect, ImmutableEquatableArray<string> Reasons)
    {
        /// <summary>The effect as the report writes it.</summary>
        public string EffectName => Effect switch
        {
            AccessEffect.Widens => "widens",
            AccessEffect.Narrows => "narrows",
            _ => "changes",
        };

        /// <summary>Whether the role is the one sessions without a token run as.</summary>
        public bool IsAnonymous => Role == AccessReport.AnonymousRole || Role == "public";

        /// <summary>The line the report prints: effect, table, role, command and the reasons.</summary>
        /// <returns>The line, without a comment marker.</returns>
        public override string ToString() => EffectName + " " + Table + " " + Role + " " + Command + ": " + string.Join("; ", Reasons);
    }
}
