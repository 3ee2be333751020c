namespace RlsSchema.Generator.Model
{
    /// <summary>A row-level security policy on one table.</summary>
    internal sealed record PolicyModel
    {
        /// <summary>The policy name, unquoted.</summary>
        public required string Name { get; init; }

        /// <summary>The command the policy applies to.</summary>
        public required PolicyCommand Command { get; init; }

        /// <summary>The role names.</summary>
        public required ImmutableEquatableArray<string> Roles { get; init; }

        /// <summary>The <c>USING</c> condition, or null.</summary>
        public required PolicyExpression? Using { get; init; }

        /// <summary>The <c>WITH CHECK</c> condition, or null.</summary>
        public required PolicyExpression? WithCheck { get; init; }

        /// <summary>Whether the policy is restrictive (ANDed with the others) rather than permissive (ORed).</summary>
        public required bool Restrictive { get; init; }
    }
}
