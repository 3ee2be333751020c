namespace RlsSchema.Schema
{
    /// <summary>Creates a row-level security policy.</summary>
    /// <param name="Table">The table.</param>
    /// <param name="Policy">The policy.</param>
    internal sealed record CreatePolicyOperation(TableName Table, PolicyDefinition Policy) : MigrationOperation;

    /// <summary>Changes a policy's roles and expressions in place (its command and kind stay).</summary>
    /// <param name="Table">The table.</param>
    /// <param name="Policy">The policy as it becomes.</param>
    internal sealed record AlterPolicyOperation(TableName Table, PolicyDefinition Policy) : MigrationOperation;

    /// <summary>Drops a policy.</summary>
    /// <param name="Table">The table.</param>
    /// <param name="Name">The policy's name.</param>
    internal sealed record DropPolicyOperation(TableName Table, string Name) : MigrationOperation;
}
