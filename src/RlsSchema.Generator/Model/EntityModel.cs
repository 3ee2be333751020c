namespace RlsSchema.Generator.Model
{
    /// <summary>One entity class and the table it maps to. Holds no Roslyn symbols or locations.</summary>
    internal sealed record EntityModel
    {
        /// <summary>The entity's namespace, or empty for the global namespace.</summary>
        public required string Namespace { get; init; }

        /// <summary>The entity's simple name.</summary>
        public required string ClassName { get; init; }

        /// <summary>The entity's name with <c>global::</c>.</summary>
        public required string FullyQualifiedName { get; init; }

        /// <summary><c>public</c> or <c>internal</c>.</summary>
        public required string Accessibility { get; init; }

        /// <summary>The table's schema, or null for the default (<c>public</c>).</summary>
        public required string? Schema { get; init; }

        /// <summary>The table name, unquoted.</summary>
        public required string TableName { get; init; }

        /// <summary>The columns, base class first, each class in declaration order.</summary>
        public required ImmutableEquatableArray<ColumnModel> Columns { get; init; }

        /// <summary>Table-level check constraints.</summary>
        public required ImmutableEquatableArray<CheckModel> TableChecks { get; init; }

        /// <summary>The policies, in declaration order (crud policies first).</summary>
        public required ImmutableEquatableArray<PolicyModel> Policies { get; init; }

        /// <summary>The indexes, owner columns first.</summary>
        public required ImmutableEquatableArray<IndexModel> Indexes { get; init; }

        /// <summary>Whether the table's owner is subject to its policies too (<c>FORCE ROW LEVEL SECURITY</c>).</summary>
        public required bool ForceRowLevelSecurity { get; init; }

        /// <summary>The first crud policy's owner column, or null.</summary>
        public required OwnerModel? Owner { get; init; }

        /// <summary>The many-to-one relationships this entity's columns declare.</summary>
        public required ImmutableEquatableArray<ForeignKeyModel> ForeignKeys { get; init; }

        /// <summary>The collections of dependents that reference this entity.</summary>
        public required ImmutableEquatableArray<CollectionNavigationModel> Collections { get; init; }

        /// <summary>Who belongs to which tenant, when this is the <c>[Membership]</c> entity; otherwise null.</summary>
        public required MembershipModel? Membership { get; init; }

        /// <summary>The table's comment (EF Core's <c>[Comment]</c>), or null.</summary>
        public string? Comment { get; init; }

        /// <summary>The schema-qualified table name used to detect two entities on one table.</summary>
        public string QualifiedTableName => (Schema ?? "public") + "." + TableName;
    }
}
