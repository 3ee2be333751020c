namespace RlsSchema.Generator.Model
{
    /// <summary>Every valid entity of the compilation, sorted by table, plus whether repositories can be emitted.</summary>
    /// <param name="Entities">The entities, sorted by schema-qualified table name.</param>
    public sealed record SchemaModel(ImmutableEquatableArray<EntityModel> Entities);
}
