namespace RlsSchema.Generator.Model
{
    /// <summary>Every valid entity of the compilation, sorted by table.</summary>
    /// <param name="Entities">The entities, sorted by schema-qualified table name.</param>
    internal sealed record SchemaModel(ImmutableEquatableArray<EntityModel> Entities);
}
