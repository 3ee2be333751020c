namespace RlsSchema.Generator.Model
{
    /// <summary>What parsing one class produced: the entity (null when it has errors) and its diagnostics.</summary>
    /// <param name="Entity">The entity, or null when an error makes it unusable.</param>
    /// <param name="FullyQualifiedName">The class's name, for ordering and cross-entity checks.</param>
    /// <param name="QualifiedTableName">The <c>schema.table</c> it maps to, or null when unknown.</param>
    /// <param name="TableLocation">Where the table name comes from (the <c>[Table]</c> argument or the class name).</param>
    /// <param name="Diagnostics">The diagnostics for this class.</param>
    public sealed record EntityResult(
        EntityModel? Entity,
        string FullyQualifiedName,
        string? QualifiedTableName,
        LocationInfo? TableLocation,
        ImmutableEquatableArray<DiagnosticInfo> Diagnostics)
    {
        /// <summary>Where this class's policies check membership, for the checks against the <c>[Membership]</c> entity.</summary>
        public ImmutableEquatableArray<MembershipUse> MembershipUses { get; init; } = ImmutableEquatableArray<MembershipUse>.Empty;

        /// <summary>Where this class declares <c>[Membership]</c>, or null.</summary>
        public LocationInfo? MembershipLocation { get; init; }
    }
}
