namespace RlsSchema.Generator.Migrations
{
    /// <summary>One <c>[RenamedFrom]</c>: an entity's table or a property's column had another name.</summary>
    /// <param name="EntityFullyQualifiedName">The entity class, with <c>global::</c>.</param>
    /// <param name="PropertyName">The property, or null when the attribute stands on the class.</param>
    /// <param name="OldName">The previous SQL name.</param>
    internal sealed record RenameInfo(string EntityFullyQualifiedName, string? PropertyName, string OldName);
}
