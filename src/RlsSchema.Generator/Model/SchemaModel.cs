namespace RlsSchema.Generator.Model
{
    /// <summary>Every valid entity of the compilation, sorted by table.</summary>
    /// <param name="Entities">The entities, sorted by schema-qualified table name.</param>
    internal sealed record SchemaModel(ImmutableEquatableArray<EntityModel> Entities)
    {
        /// <summary>
        /// Whether every session role gets every command on every table in <c>public</c>, now and by default later
        /// (the MSBuild property <c>RlsSchemaBlanketGrants</c>, for compatibility with Neon's guide), instead of what the
        /// policies need.
        /// </summary>
        public bool BlanketGrants { get; init; }
    }
}
