namespace RlsSchema.Schema
{
    /// <summary>Installs <c>pg_session_jwt</c> where the server has it and creates the <c>auth</c> schema: what the full script starts with.</summary>
    internal sealed record PrepareAuthOperation : MigrationOperation;

    /// <summary>Creates a schema a table lives in.</summary>
    /// <param name="Name">The schema.</param>
    internal sealed record CreateSchemaOperation(string Name) : MigrationOperation;

    /// <summary>Creates a session role unless the server has it, and lets it use the <c>auth</c> functions and <c>public</c>.</summary>
    /// <param name="Role">The role.</param>
    internal sealed record CreateRoleOperation(string Role) : MigrationOperation;

    /// <summary>Takes back what the script gave a role the model no longer names; the role itself stays (it belongs to the server).</summary>
    /// <param name="Role">The role.</param>
    internal sealed record ForgetRoleOperation(string Role) : MigrationOperation;

    /// <summary>Gives a role every command on tables created later in <c>public</c> (blanket grants), or takes that away.</summary>
    /// <param name="Role">The role.</param>
    /// <param name="Grant">Whether tables created later are granted.</param>
    internal sealed record DefaultPrivilegesOperation(string Role, bool Grant) : MigrationOperation;

    /// <summary>Gives a role every command on every table in <c>public</c> now (blanket grants; later tables come from the default privileges).</summary>
    /// <param name="Role">The role.</param>
    internal sealed record GrantAllTablesOperation(string Role) : MigrationOperation;
}
