namespace RlsSchema.Schema
{
    /// <summary>Creates an index.</summary>
    /// <param name="Table">The table.</param>
    /// <param name="Index">The index.</param>
    internal sealed record CreateIndexOperation(TableName Table, IndexDefinition Index) : MigrationOperation;

    /// <summary>Drops an index.</summary>
    /// <param name="Schema">The index's schema.</param>
    /// <param name="Name">The index's name.</param>
    internal sealed record DropIndexOperation(string Schema, string Name) : MigrationOperation;

    /// <summary>Renames an index.</summary>
    /// <param name="Schema">The index's schema.</param>
    /// <param name="Name">The old name.</param>
    /// <param name="NewName">The new name.</param>
    internal sealed record RenameIndexOperation(string Schema, string Name, string NewName) : MigrationOperation;
}
