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
        ImmutableEquatableArray<DiagnosticInfo> Diagnostics);
}
