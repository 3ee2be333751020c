namespace RlsSchema.Generator.Model
{
    /// <summary>A row-level security policy, ready to emit.</summary>
    /// <param name="Name">The policy name, unquoted.</param>
    /// <param name="Command">ALL, SELECT, INSERT, UPDATE or DELETE.</param>
    /// <param name="Roles">The role names.</param>
    /// <param name="Using">The <c>USING</c> expression, or null.</param>
    /// <param name="WithCheck">The <c>WITH CHECK</c> expression, or null.</param>
    /// <param name="Restrictive">Whether the policy is restrictive.</param>
    public sealed record PolicyModel(
        string Name,
        string Command,
        ImmutableEquatableArray<string> Roles,
        string? Using,
        string? WithCheck,
        bool Restrictive)
    {
        /// <summary>
        /// A typed policy's condition, for <c>USING</c> and, where the command has one, <c>WITH CHECK</c>; null for a policy
        /// written in SQL (<see cref="Using"/> and <see cref="WithCheck"/>).
        /// </summary>
        public Policies.PolicyExpression? Predicate { get; init; }
    }
}
