using System;

namespace RlsSchema.Schema
{
    /// <summary>
    /// What a model's script creates in the database, as the database sees it (no C# names): the form the migration
    /// snapshot (<c>Migrations/rls-model.json</c>) records and the model differ compares.
    /// </summary>
    internal sealed record DatabaseModel
    {
        /// <summary>The snapshot format this code writes and reads.</summary>
        public const int CurrentFormat = 1;

        /// <summary>The model with nothing in it: what an empty database holds.</summary>
        public static DatabaseModel Empty { get; } = new DatabaseModel
        {
            Roles = ImmutableEquatableArray<string>.Empty,
            Functions = ImmutableEquatableArray<FunctionModel>.Empty,
            Tables = ImmutableEquatableArray<TableModel>.Empty,
        };

        /// <summary>
        /// Whether every session role holds every command on every table in <c>public</c>, now and by default later
        /// (<c>RlsSchemaBlanketGrants</c>), rather than exactly what the policies need.
        /// </summary>
        public bool BlanketGrants { get; init; }

        /// <summary>
        /// Whether the membership function's EXECUTE privilege is known to follow the policies (only the roles whose
        /// policies call it hold it). A snapshot written before this was recorded reads as false: the scripts of that time
        /// could leave another session role holding it, so the next migration states the function's privileges again.
        /// </summary>
        public bool FunctionPrivilegesFollowPolicies { get; init; } = true;

        /// <summary>The roles the policies and grants name, sorted.</summary>
        public required ImmutableEquatableArray<string> Roles { get; init; }

        /// <summary>The <c>auth</c> functions (the membership function included), sorted by signature.</summary>
        public required ImmutableEquatableArray<FunctionModel> Functions { get; init; }

        /// <summary>The tables, sorted by schema and name.</summary>
        public required ImmutableEquatableArray<TableModel> Tables { get; init; }
    }

    /// <summary>A SQL function the script creates.</summary>
    internal sealed record FunctionModel
    {
        /// <summary>The signature as <c>to_regprocedure</c> reads it, e.g. <c>auth.claim(text)</c>.</summary>
        public required string Signature { get; init; }

        /// <summary>The name and parameters as declared, e.g. <c>auth.claim(name text)</c>.</summary>
        public required string Declaration { get; init; }

        /// <summary>The return type, e.g. <c>text</c> or <c>SETOF uuid</c>.</summary>
        public required string Returns { get; init; }

        /// <summary>The SQL body.</summary>
        public required string Body { get; init; }

        /// <summary>Whether it runs as its owner (<c>SECURITY DEFINER</c> with an empty <c>search_path</c>), executable only by the session roles.</summary>
        public bool SecurityDefiner { get; init; }
    }

    /// <summary>A table and everything on it.</summary>
    internal sealed record TableModel
    {
        /// <summary>The schema, <c>public</c> by default.</summary>
        public required string Schema { get; init; }

        /// <summary>The table name.</summary>
        public required string Name { get; init; }

        /// <summary>The table's previous name, when the entity says <c>[RenamedFrom]</c>; never in a snapshot.</summary>
        public string? RenamedFrom { get; init; }

        /// <summary>The columns: in declaration order from the code, sorted by name in a snapshot.</summary>
        public required ImmutableEquatableArray<ColumnDefinition> Columns { get; init; }

        /// <summary>The primary key's columns.</summary>
        public required ImmutableEquatableArray<string> PrimaryKey { get; init; }

        /// <summary>The check constraints, sorted.</summary>
        public required ImmutableEquatableArray<CheckDefinition> Checks { get; init; }

        /// <summary>The indexes, sorted by name.</summary>
        public required ImmutableEquatableArray<IndexDefinition> Indexes { get; init; }

        /// <summary>Whether row-level security is enabled.</summary>
        public required bool RowLevelSecurity { get; init; }

        /// <summary>Whether row-level security is forced on the owner too.</summary>
        public required bool ForceRowLevelSecurity { get; init; }

        /// <summary>The policies, sorted by name.</summary>
        public required ImmutableEquatableArray<PolicyDefinition> Policies { get; init; }

        /// <summary>The foreign keys, sorted by name.</summary>
        public required ImmutableEquatableArray<ForeignKeyDefinition> ForeignKeys { get; init; }

        /// <summary>The table privileges per role, sorted by role.</summary>
        public required ImmutableEquatableArray<GrantDefinition> Grants { get; init; }

        /// <summary>The table's comment, or null; set on a table the model creates, never in a snapshot.</summary>
        public string? Comment { get; init; }

        /// <summary>The table's SQL name, schema-qualified when not in <c>public</c>.</summary>
        public string Key => Schema + "." + Name;
    }

    /// <summary>A column as the database holds it.</summary>
    internal sealed record ColumnDefinition
    {
        /// <summary>The column name.</summary>
        public required string Name { get; init; }

        /// <summary>The column's previous name, when the property says <c>[RenamedFrom]</c>; never in a snapshot.</summary>
        public string? RenamedFrom { get; init; }

        /// <summary>The SQL type, e.g. <c>varchar(40)</c>.</summary>
        public required string Type { get; init; }

        /// <summary>Whether the column accepts null.</summary>
        public required bool Nullable { get; init; }

        /// <summary>Whether the column is <c>generated by default as identity</c>.</summary>
        public required bool Identity { get; init; }

        /// <summary>The default expression, or null.</summary>
        public string? Default { get; init; }

        /// <summary>The column's comment, or null; set on a table the model creates, never in a snapshot.</summary>
        public string? Comment { get; init; }
    }

    /// <summary>A check constraint.</summary>
    internal sealed record CheckDefinition : IComparable<CheckDefinition>
    {
        /// <summary>The constraint's name, or null when PostgreSQL names it.</summary>
        public string? Name { get; init; }

        /// <summary>The boolean expression.</summary>
        public required string Sql { get; init; }

        /// <summary>
        /// The column whose definition the check is written on when its table is created, or null for a table check. Layout
        /// only: the database holds the same constraint either way, so it is neither compared nor in a snapshot.
        /// </summary>
        public string? Column { get; init; }

        /// <inheritdoc/>
        public bool Equals(CheckDefinition? other) => other is not null && Name == other.Name && Sql == other.Sql;

        /// <inheritdoc/>
        public override int GetHashCode() => ((Name?.GetHashCode() ?? 0) * 31) + Sql.GetHashCode();

        /// <inheritdoc/>
        public int CompareTo(CheckDefinition? other)
        {
            int byName = string.CompareOrdinal(Name ?? "", other?.Name ?? "");
            return byName != 0 ? byName : string.CompareOrdinal(Sql, other?.Sql ?? "");
        }
    }

    /// <summary>An index.</summary>
    internal sealed record IndexDefinition
    {
        /// <summary>The index name.</summary>
        public required string Name { get; init; }

        /// <summary>The columns, in order.</summary>
        public required ImmutableEquatableArray<string> Columns { get; init; }

        /// <summary>Whether it is unique.</summary>
        public required bool Unique { get; init; }
    }

    /// <summary>A row-level security policy.</summary>
    internal sealed record PolicyDefinition
    {
        /// <summary>The policy name.</summary>
        public required string Name { get; init; }

        /// <summary>ALL, SELECT, INSERT, UPDATE or DELETE.</summary>
        public required string Command { get; init; }

        /// <summary>Whether it is permissive (else restrictive).</summary>
        public required bool Permissive { get; init; }

        /// <summary>The roles, sorted.</summary>
        public required ImmutableEquatableArray<string> Roles { get; init; }

        /// <summary>The USING expression, or null.</summary>
        public string? Using { get; init; }

        /// <summary>The WITH CHECK expression, or null.</summary>
        public string? WithCheck { get; init; }
    }

    /// <summary>The privileges one role holds on a table.</summary>
    internal sealed record GrantDefinition
    {
        /// <summary>The role.</summary>
        public required string Role { get; init; }

        /// <summary>The privileges, sorted (e.g. DELETE, INSERT, SELECT, UPDATE); one held on some columns only names them (<see cref="ColumnPrivileges"/>).</summary>
        public required ImmutableEquatableArray<string> Privileges { get; init; }
    }

    /// <summary>A foreign key.</summary>
    internal sealed record ForeignKeyDefinition
    {
        /// <summary>The constraint name.</summary>
        public required string Name { get; init; }

        /// <summary>The key columns, in order.</summary>
        public required ImmutableEquatableArray<string> Columns { get; init; }

        /// <summary>The referenced table's schema.</summary>
        public required string ReferencedSchema { get; init; }

        /// <summary>The referenced table.</summary>
        public required string ReferencedTable { get; init; }

        /// <summary>The referenced columns, in order.</summary>
        public required ImmutableEquatableArray<string> ReferencedColumns { get; init; }

        /// <summary>The <c>ON DELETE</c> action: <c>NO ACTION</c>, <c>RESTRICT</c>, <c>CASCADE</c>, <c>SET NULL</c> or <c>SET DEFAULT</c>.</summary>
        public required string OnDelete { get; init; }
    }
}
