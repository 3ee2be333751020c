namespace RlsSchema.Schema
{
    /// <summary>Grants privileges on a table to a role.</summary>
    /// <param name="Table">The table.</param>
    /// <param name="Role">The role.</param>
    /// <param name="Privileges">The privileges (SELECT, INSERT, UPDATE, DELETE), some perhaps on columns only (<see cref="ColumnPrivileges"/>).</param>
    internal sealed record GrantOperation(TableName Table, string Role, ImmutableEquatableArray<string> Privileges) : MigrationOperation;

    /// <summary>Revokes privileges on a table from a role.</summary>
    /// <param name="Table">The table.</param>
    /// <param name="Role">The role.</param>
    /// <param name="Privileges">The privileges, or empty for all of them.</param>
    internal sealed record RevokeOperation(TableName Table, string Role, ImmutableEquatableArray<string> Privileges) : MigrationOperation;

    /// <summary>Lets roles use a schema (other than <c>public</c>) that holds their tables.</summary>
    /// <param name="Schema">The schema.</param>
    /// <param name="Roles">The roles.</param>
    internal sealed record GrantSchemaUsageOperation(string Schema, ImmutableEquatableArray<string> Roles) : MigrationOperation;
}
