namespace RlsSchema.Schema
{
    /// <summary>Creates a table with its columns, primary key and checks (foreign keys are added apart).</summary>
    /// <param name="Table">The table.</param>
    internal sealed record CreateTableOperation(TableModel Table) : MigrationOperation;

    /// <summary>Drops a table and its rows.</summary>
    /// <param name="Table">The table.</param>
    internal sealed record DropTableOperation(TableName Table) : MigrationOperation;

    /// <summary>Renames a table in its schema.</summary>
    /// <param name="Table">The table, by its old name.</param>
    /// <param name="NewName">The new name.</param>
    internal sealed record RenameTableOperation(TableName Table, string NewName) : MigrationOperation;

    /// <summary>Sets a table's comment.</summary>
    /// <param name="Table">The table.</param>
    /// <param name="Column">The column the comment is on, or null for the table.</param>
    /// <param name="Comment">The comment.</param>
    internal sealed record CommentOperation(TableName Table, string? Column, string Comment) : MigrationOperation;

    /// <summary>Turns row-level security on or off.</summary>
    /// <param name="Table">The table.</param>
    /// <param name="Enable">Whether it is turned on.</param>
    internal sealed record RowLevelSecurityOperation(TableName Table, bool Enable) : MigrationOperation;

    /// <summary>Forces row-level security on the table's owner too, or stops forcing it.</summary>
    /// <param name="Table">The table.</param>
    /// <param name="Force">Whether it is forced.</param>
    internal sealed record ForceRowLevelSecurityOperation(TableName Table, bool Force) : MigrationOperation;
}
