namespace RlsSchema.Schema
{
    /// <summary>Adds a primary key.</summary>
    /// <param name="Table">The table.</param>
    /// <param name="Columns">The key's columns.</param>
    internal sealed record AddPrimaryKeyOperation(TableName Table, ImmutableEquatableArray<string> Columns) : MigrationOperation;

    /// <summary>Drops a table's primary key, found in the catalog (PostgreSQL names it).</summary>
    /// <param name="Table">The table.</param>
    internal sealed record DropPrimaryKeyOperation(TableName Table) : MigrationOperation;

    /// <summary>Adds a check constraint.</summary>
    /// <param name="Table">The table.</param>
    /// <param name="Check">The check.</param>
    internal sealed record AddCheckOperation(TableName Table, CheckDefinition Check) : MigrationOperation;

    /// <summary>Drops every check constraint of a table, found in the catalog (PostgreSQL names unnamed ones).</summary>
    /// <param name="Table">The table.</param>
    internal sealed record DropChecksOperation(TableName Table) : MigrationOperation;

    /// <summary>Adds a foreign key.</summary>
    /// <param name="Table">The table holding the key.</param>
    /// <param name="ForeignKey">The key.</param>
    internal sealed record AddForeignKeyOperation(TableName Table, ForeignKeyDefinition ForeignKey) : MigrationOperation;

    /// <summary>Drops a foreign key.</summary>
    /// <param name="Table">The table holding the key.</param>
    /// <param name="Name">The constraint's name.</param>
    internal sealed record DropForeignKeyOperation(TableName Table, string Name) : MigrationOperation;
}
