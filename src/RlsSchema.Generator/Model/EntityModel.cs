namespace RlsSchema.Generator.Model
{
    /// <summary>One entity class and the table it maps to. Holds no Roslyn symbols or locations.</summary>
    /// <param name="Namespace">The entity's namespace, or empty for the global namespace.</param>
    /// <param name="ClassName">The entity's simple name.</param>
    /// <param name="FullyQualifiedName">The entity's name with <c>global::</c>.</param>
    /// <param name="Accessibility"><c>public</c> or <c>internal</c>.</param>
    /// <param name="Schema">The table's schema, or null for the default (<c>public</c>).</param>
    /// <param name="TableName">The table name, unquoted.</param>
    /// <param name="Columns">The columns, in declaration order.</param>
    /// <param name="TableChecks">Table-level check constraints.</param>
    /// <param name="Policies">The policies, in declaration order.</param>
    /// <param name="Indexes">The indexes, owner columns first.</param>
    /// <param name="ForceRowLevelSecurity">Whether to emit <c>FORCE ROW LEVEL SECURITY</c>.</param>
    /// <param name="OwnerColumn">The property name of the first owner column, or null.</param>
    /// <param name="OwnerIsUuid">Whether the owner column is a uuid (compared with <c>auth.uid()</c>).</param>
    public sealed record EntityModel(
        string Namespace,
        string ClassName,
        string FullyQualifiedName,
        string Accessibility,
        string? Schema,
        string TableName,
        ImmutableEquatableArray<ColumnModel> Columns,
        ImmutableEquatableArray<CheckModel> TableChecks,
        ImmutableEquatableArray<PolicyModel> Policies,
        ImmutableEquatableArray<IndexModel> Indexes,
        bool ForceRowLevelSecurity,
        string? OwnerColumn,
        bool OwnerIsUuid)
    {
        /// <summary>The many-to-one relationships this entity's columns declare.</summary>
        public ImmutableEquatableArray<ForeignKeyModel> ForeignKeys { get; init; } = ImmutableEquatableArray<ForeignKeyModel>.Empty;

        /// <summary>The collections of dependents that reference this entity.</summary>
        public ImmutableEquatableArray<CollectionNavigationModel> Collections { get; init; } = ImmutableEquatableArray<CollectionNavigationModel>.Empty;

        /// <summary>Who belongs to which tenant, when this is the <c>[Membership]</c> entity; otherwise null.</summary>
        public MembershipModel? Membership { get; init; }

        /// <summary>The schema-qualified table name used to detect two entities on one table.</summary>
        public string QualifiedTableName => (Schema ?? "public") + "." + TableName;
    }
}
