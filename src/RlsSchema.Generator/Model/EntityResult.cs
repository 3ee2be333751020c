namespace RlsSchema.Generator.Model
{
    /// <summary>What parsing one class produced: the entity (null when it has errors) and its diagnostics.</summary>
    /// <param name="Entity">The entity, or null when an error makes it unusable.</param>
    /// <param name="FullyQualifiedName">The class's name, for ordering and cross-entity checks.</param>
    /// <param name="QualifiedTableName">The <c>schema.table</c> it maps to, or null when unknown.</param>
    /// <param name="TableLocation">Where the table name comes from (the <c>[Table]</c> argument or the class name).</param>
    /// <param name="Diagnostics">The diagnostics for this class.</param>
    internal sealed record EntityResult(
        EntityModel? Entity,
        string FullyQualifiedName,
        string? QualifiedTableName,
        LocationInfo? TableLocation,
        ImmutableEquatableArray<DiagnosticInfo> Diagnostics)
    {
        /// <summary>Where this class's policies check membership, for the checks against the <c>[Membership]</c> entity.</summary>
        public ImmutableEquatableArray<MembershipUse> MembershipUses { get; init; } = ImmutableEquatableArray<MembershipUse>.Empty;

        /// <summary>The tables this class's policies written in SQL read, for the check that each is an entity's.</summary>
        public ImmutableEquatableArray<RawTableRead> RawTableReads { get; init; } = ImmutableEquatableArray<RawTableRead>.Empty;

        /// <summary>Where this class declares <c>[Membership]</c>, or null.</summary>
        public LocationInfo? MembershipLocation { get; init; }
    }
}

namespace RlsSchema.Generator.Model
{
    /// <summary>A table that a policy written in SQL reads with <c>FROM</c> or <c>JOIN</c>.</summary>
    /// <param name="QualifiedTable">The <c>schema.table</c> name.</param>
    /// <param name="PolicyName">The policy's name.</param>
    /// <param name="Location">Where the policy is declared.</param>
    internal sealed record RawTableRead(string QualifiedTable, string PolicyName, LocationInfo? Location);
}
