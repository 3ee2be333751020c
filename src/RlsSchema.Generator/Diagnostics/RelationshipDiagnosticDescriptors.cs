using Microsoft.CodeAnalysis;

namespace RlsSchema.Generator.Diagnostics
{
    /// <summary>
    /// The diagnostics of relationships, typed policies, membership and raw policy checks; <see cref="DiagnosticDescriptors.All"/>
    /// lists them with the others.
    /// </summary>
    internal static class RelationshipDiagnosticDescriptors
    {
        /// <summary>RLS0201: <c>[ForeignKey]</c> names a property that does not exist.</summary>
        public static readonly DiagnosticDescriptor ForeignKeyPropertyNotFound = DiagnosticDescriptors.Error(
            "RLS0201",
            "Foreign key names an unknown property",
            "[ForeignKey(\"{0}\")] on '{1}.{2}' names no {3} of '{1}'; use nameof(<property>)");

        /// <summary>RLS0202: a navigation whose type is not an entity.</summary>
        public static readonly DiagnosticDescriptor NavigationTargetNotEntity = DiagnosticDescriptors.Error(
            "RLS0202",
            "Navigation type is not an entity",
            "'{0}.{1}' is a relationship to '{2}', which is not an entity; give '{2}' a policy (or [Membership]) so it gets a table, or mark '{1}' [NotMapped]");

        /// <summary>RLS0203: a reference navigation without a foreign key property.</summary>
        public static readonly DiagnosticDescriptor NavigationWithoutForeignKey = DiagnosticDescriptors.Error(
            "RLS0203",
            "Navigation has no foreign key property",
            "Navigation '{0}.{1}' has no foreign key property: add '{1}Id' or name the key with [ForeignKey(nameof(<property>))]");

        /// <summary>RLS0204: the foreign key's type differs from the principal key's.</summary>
        public static readonly DiagnosticDescriptor ForeignKeyTypeMismatch = DiagnosticDescriptors.Error(
            "RLS0204",
            "Foreign key type differs from the referenced key",
            "Foreign key '{0}.{1}' is {2} but references '{3}.{4}', which is {5}; give both the same type");

        /// <summary>RLS0205: ON DELETE SET NULL on a key that cannot be null.</summary>
        public static readonly DiagnosticDescriptor SetNullOnRequiredKey = DiagnosticDescriptors.Error(
            "RLS0205",
            "SET NULL needs a nullable foreign key",
            "{2} needs the foreign key '{0}.{1}' to be nullable; make '{1}' nullable or choose another action");

        /// <summary>RLS0206: a collection navigation whose inverse cannot be found.</summary>
        public static readonly DiagnosticDescriptor CollectionWithoutInverse = DiagnosticDescriptors.Error(
            "RLS0206",
            "Collection navigation has no single inverse",
            "Collection '{0}.{1}' of '{2}' needs exactly one foreign key back to '{0}' ({3}); add a '{0}' navigation with its key to '{2}', or name it with [InverseProperty]");

        /// <summary>RLS0207: an expression a typed policy cannot translate.</summary>
        public static readonly DiagnosticDescriptor UntranslatablePolicyExpression = DiagnosticDescriptors.Error(
            "RLS0207",
            "Policy expression cannot be translated to SQL",
            "Typed policy '{0}' on '{1}': '{2}' cannot be translated to SQL ({3})");

        /// <summary>RLS0208: a typed policy method of the wrong shape.</summary>
        public static readonly DiagnosticDescriptor InvalidPolicyMethod = DiagnosticDescriptors.Error(
            "RLS0208",
            "Typed policy method has the wrong shape",
            "Typed policy '{0}' on '{1}' must be a static method returning bool from one parameter of type '{1}', with an expression body (=> ...) or a single return; it {2}");

        /// <summary>RLS0209: membership is used but not declared, declared twice or declared wrongly.</summary>
        public static readonly DiagnosticDescriptor InvalidMembership = DiagnosticDescriptors.Error(
            "RLS0209",
            "Membership is missing or invalid",
            "{0}");

        /// <summary>RLS0210: the membership entity forces row-level security, which would make its lookups recursive.</summary>
        public static readonly DiagnosticDescriptor ForcedMembership = DiagnosticDescriptors.Error(
            "RLS0210",
            "Membership entity forces row-level security",
            "'{0}' is the [Membership] entity and carries [ForceRowLevelSecurity]: the membership function runs as the table owner, and forcing row-level security would bring back the recursion it avoids; remove [ForceRowLevelSecurity]");

        /// <summary>RLS0211: an unqualified column inside a raw policy's subquery.</summary>
        public static readonly DiagnosticDescriptor UnqualifiedSubqueryColumn = DiagnosticDescriptors.Warning(
            "RLS0211",
            "Unqualified column in a raw policy's subquery",
            "{0} on '{1}' uses '{2}' unqualified inside a subquery, where PostgreSQL binds it to the subquery's table if that table has such a column; qualify it ({3}.{2}) or write a typed policy");

        /// <summary>RLS0212: a raw policy reads a table that no entity declares.</summary>
        public static readonly DiagnosticDescriptor RawPolicyUnknownTable = DiagnosticDescriptors.Warning(
            "RLS0212",
            "Raw policy reads a table that is not an entity",
            "{0} on '{1}' reads table '{2}', which no entity declares; the script may run before it exists and grants will not cover it");

        /// <summary>RLS0213: a policy column without an index.</summary>
        public static readonly DiagnosticDescriptor PolicyColumnWithoutIndex = DiagnosticDescriptors.Warning(
            "RLS0213",
            "Policy column has no index",
            "{0} on '{1}' filters on column '{2}', which no index leads with; add [Index] to '{3}' so the policy does not scan the table");

        /// <summary>RLS0214: a typed policy navigates through a foreign key to an entity whose key has several columns.</summary>
        public static readonly DiagnosticDescriptor ReferenceToCompositeKey = DiagnosticDescriptors.Error(
            "RLS0214",
            "Typed policy navigates to a composite key",
            "Typed policy '{0}' on '{1}' navigates through '{2}' to '{3}', whose key has several columns ({4}); typed policies follow single-column foreign keys only: compare this row's key columns instead, or write the condition as a raw [Policy]");

        /// <summary>RLS0215: the foreign key properties of a navigation do not match the referenced composite key.</summary>
        public static readonly DiagnosticDescriptor CompositeForeignKeyMismatch = DiagnosticDescriptors.Error(
            "RLS0215",
            "Foreign key does not match the composite key it references",
            "Navigation '{0}.{1}' references '{2}', whose key has {3} columns ({4}), but {5}");

        /// <summary>Every descriptor of this file.</summary>
        internal static readonly DiagnosticDescriptor[] All =
        {
            ForeignKeyPropertyNotFound, NavigationTargetNotEntity, NavigationWithoutForeignKey, ForeignKeyTypeMismatch,
            SetNullOnRequiredKey, CollectionWithoutInverse, UntranslatablePolicyExpression, InvalidPolicyMethod,
            InvalidMembership, ForcedMembership, UnqualifiedSubqueryColumn, RawPolicyUnknownTable, PolicyColumnWithoutIndex,
            ReferenceToCompositeKey, CompositeForeignKeyMismatch,
        };
    }
}
