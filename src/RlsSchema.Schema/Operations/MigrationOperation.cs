using System;

namespace RlsSchema.Schema
{
    /// <summary>
    /// One step that changes a database from one model towards another: what the differ returns and the SQL writer
    /// renders. Each operation says whether it can lose data, so that the tool warns from the operations themselves.
    /// </summary>
    internal abstract record MigrationOperation
    {
        /// <summary>What data the step can lose, or null when it loses none.</summary>
        public string? DataLoss { get; init; }

        /// <summary>Whether the step can lose data.</summary>
        public bool IsDestructive => DataLoss is not null;
    }

    /// <summary>A table's schema and name, as the database holds them.</summary>
    /// <param name="Schema">The schema, <c>public</c> by default.</param>
    /// <param name="Name">The table name.</param>
    internal sealed record TableName(string Schema, string Name)
    {
        /// <summary>The table's name.</summary>
        /// <param name="table">The table.</param>
        /// <returns>Its schema and name.</returns>
        public static TableName Of(TableModel table) => new TableName(table.Schema, table.Name);

        /// <summary>The <c>schema.name</c> form the messages use.</summary>
        /// <returns>The key.</returns>
        public override string ToString() => Schema + "." + Name;
    }
}
