namespace RlsSchema.Generator.Model
{
    /// <summary>A many-to-one relationship: a column of this entity referencing another entity's key.</summary>
    /// <remarks>
    /// The principal is named by its C# type, not by its table: the schema builder resolves it against the parsed
    /// entities, so that the principal's own naming rules are applied in one place.
    /// </remarks>
    internal sealed record ForeignKeyModel
    {
        /// <summary>
        /// The foreign key properties of this entity, in the order of the principal's key columns: one, or one per column
        /// of a composite key.
        /// </summary>
        public required ImmutableEquatableArray<string> PropertyNames { get; init; }

        /// <summary>The first (for a single-column key, the only) foreign key property.</summary>
        public string PropertyName => PropertyNames[0];

        /// <summary>The reference navigation's property name, or null when the key has none.</summary>
        public string? NavigationName { get; init; }

        /// <summary>The referenced entity, fully qualified with <c>global::</c>.</summary>
        public required string PrincipalEntity { get; init; }

        /// <summary>What happens to this row when the referenced row is deleted.</summary>
        public required ReferentialAction OnDelete { get; init; }
    }

    /// <summary>A one-to-many relationship seen from the principal: a collection of dependents referencing this entity.</summary>
    internal sealed record CollectionNavigationModel
    {
        /// <summary>The collection property of this entity.</summary>
        public required string PropertyName { get; init; }

        /// <summary>The dependent entity, fully qualified with <c>global::</c>.</summary>
        public required string DependentEntity { get; init; }

        /// <summary>The dependent's foreign key property that references this entity.</summary>
        public required string ForeignKeyProperty { get; init; }
    }
}
