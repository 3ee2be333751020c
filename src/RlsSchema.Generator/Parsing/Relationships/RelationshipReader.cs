using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using RlsSchema.Generator.Diagnostics;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Parsing.Relationships
{
    /// <summary>
    /// Reads an entity's relationships the way EF Core's conventions and data annotations do: a reference navigation
    /// and its foreign key property (<c>[ForeignKey]</c> on either, else <c>&lt;Navigation&gt;Id</c>,
    /// <c>&lt;Navigation&gt;&lt;Key&gt;</c>, <c>&lt;Principal&gt;Id</c>, <c>&lt;Principal&gt;&lt;Key&gt;</c>), collection
    /// navigations and their inverse (<c>[InverseProperty]</c>, else the dependent's single navigation back), and
    /// <c>[OnDelete]</c> on the key or the navigation, or EF Core's <c>[DeleteBehavior]</c> on either navigation (by default
    /// a required key cascades and an optional one is NO ACTION). This part reads the navigations; finding a foreign key
    /// and reading its delete action are parts of their own.
    /// </summary>
    internal sealed partial class RelationshipReader
    {
        private readonly INamedTypeSymbol _type;
        private readonly Func<string, ColumnModel?> _columnOf;
        private readonly Action<DiagnosticDescriptor, LocationInfo?, object?[]> _report;
        private readonly CancellationToken _ct;

        /// <summary>Creates a reader for one entity.</summary>
        /// <param name="type">The entity.</param>
        /// <param name="columnOf">The column a property maps to, by property name, or null when it is not a column.</param>
        /// <param name="report">Reports a diagnostic.</param>
        /// <param name="cancellationToken">Cancels syntax lookups.</param>
        public RelationshipReader(INamedTypeSymbol type, Func<string, ColumnModel?> columnOf, Action<DiagnosticDescriptor, LocationInfo?, object?[]> report, CancellationToken cancellationToken)
        {
            _type = type;
            _columnOf = columnOf;
            _report = report;
            _ct = cancellationToken;
        }

        /// <summary>The foreign keys the entity's reference navigations declare.</summary>
        public List<ForeignKeyModel> ForeignKeys { get; } = new List<ForeignKeyModel>();

        /// <summary>The entity's collection navigations.</summary>
        public List<CollectionNavigationModel> Collections { get; } = new List<CollectionNavigationModel>();

        /// <summary>Reads every navigation among the given properties and every <c>[ForeignKey]</c> on a column.</summary>
        /// <param name="properties">The entity's mappable properties, columns and navigations.</param>
        public void Read(IEnumerable<IPropertySymbol> properties)
        {
            var list = properties.ToList();
            foreach (IPropertySymbol property in list)
            {
                _ct.ThrowIfCancellationRequested();
                PropertyRole role = NavigationKind.Classify(property, out ITypeSymbol? target);
                if (role == PropertyRole.Column || target is null)
                {
                    continue;
                }

                if (!EntityDetector.IsEntity(target))
                {
                    Report(RelationshipDiagnosticDescriptors.NavigationTargetNotEntity, Where(property), _type.Name, property.Name, target.ToDisplayString());
                    continue;
                }

                if (role == PropertyRole.Reference)
                {
                    ReadReference(property, target);
                }
                else
                {
                    ReadCollection(property, target);
                }
            }

            var navigations = new HashSet<string>(list.Where(p => NavigationKind.Classify(p, out _) == PropertyRole.Reference).Select(p => p.Name), StringComparer.Ordinal);
            foreach (IPropertySymbol property in list)
            {
                if (NavigationKind.Classify(property, out _) != PropertyRole.Column)
                {
                    continue;
                }

                if (AttributeReader.OfType(property, KnownAttributes.ForeignKey).FirstOrDefault() is { } attribute
                    && AttributeReader.PositionalString(attribute, 0) is var name && (name is null || !navigations.Contains(name)))
                {
                    Report(RelationshipDiagnosticDescriptors.ForeignKeyPropertyNotFound, AttributeReader.LocationOf(attribute, null, 0, Where(property), _ct),
                        name ?? "null", _type.Name, property.Name, "navigation property");
                }

                // EF Core refuses it here too ("may only be specified on navigations"), rather than apply it to the key.
                if (AttributeReader.OfType(property, KnownAttributes.EfDeleteBehavior).FirstOrDefault() is { } behavior)
                {
                    Report(DiagnosticDescriptors.InvalidAttributeUsage, AttributeReader.LocationOf(behavior, null, -1, Where(property), _ct),
                        "[DeleteBehavior]", _type.Name + "." + property.Name, "EF Core reads it only on a navigation; put it on the navigation of this key");
                }
            }
        }

        /// <summary>The foreign key property behind a reference navigation, by the same rules, without reporting.</summary>
        /// <param name="dependent">The entity holding the navigation.</param>
        /// <param name="navigation">The reference navigation.</param>
        /// <param name="principal">The referenced entity.</param>
        /// <returns>The key property, or null.</returns>
        public static IPropertySymbol? ForeignKeyOf(ITypeSymbol dependent, IPropertySymbol navigation, ITypeSymbol principal) =>
            dependent is INamedTypeSymbol named ? Silent(named).FindForeignKey(dependent, navigation, principal, report: false) : null;

        /// <summary>The dependent's foreign key property behind a collection navigation, by the same rules, without reporting.</summary>
        /// <param name="principal">The entity holding the collection.</param>
        /// <param name="collection">The collection navigation.</param>
        /// <param name="dependent">The collected entity.</param>
        /// <returns>The dependent's key property name, or null.</returns>
        public static string? InverseForeignKeyOf(ITypeSymbol principal, IPropertySymbol collection, ITypeSymbol dependent)
        {
            if (!(principal is INamedTypeSymbol named))
            {
                return null;
            }

            RelationshipReader reader = Silent(named);
            reader.ReadCollection(collection, dependent);
            return reader.Collections.Count == 1 ? reader.Collections[0].ForeignKeyProperty : null;
        }

        private static RelationshipReader Silent(INamedTypeSymbol type) => new RelationshipReader(type, _ => null, (d, l, a) => { }, CancellationToken.None);

        private void ReadReference(IPropertySymbol navigation, ITypeSymbol principal)
        {
            List<IPropertySymbol> principalKeys = EntityDetector.KeysOf(principal);
            List<IPropertySymbol>? keys = principalKeys.Count > 1
                ? FindCompositeForeignKey(_type, navigation, principal, principalKeys, report: true)
                : FindForeignKey(_type, navigation, principal, report: true) is { } single ? new List<IPropertySymbol> { single } : null;
            if (keys is null)
            {
                return;
            }

            var columns = new List<ColumnModel>();
            foreach (IPropertySymbol key in keys)
            {
                if (_columnOf(key.Name) is { } column)
                {
                    columns.Add(column);
                }
            }

            if (columns.Count != keys.Count)
            {
                return;
            }

            for (int i = 0; i < principalKeys.Count && i < keys.Count; i++)
            {
                string? principalType = CastTypeOf(principalKeys[i]);
                if (principalType is not null && principalType != columns[i].CastType)
                {
                    Report(RelationshipDiagnosticDescriptors.ForeignKeyTypeMismatch, Where(keys[i]), _type.Name, keys[i].Name, columns[i].CastType, principal.Name, principalKeys[i].Name, principalType);
                    return;
                }
            }

            if (!TryReadDeleteAction(keys[0], navigation, principal, columns, out ReferentialAction action))
            {
                return;
            }

            ForeignKeys.Add(new ForeignKeyModel
            {
                PropertyNames = keys.Select(k => k.Name).ToImmutableEquatableArray(),
                NavigationName = navigation.Name,
                PrincipalEntity = principal.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                OnDelete = action,
            });
        }

        private void ReadCollection(IPropertySymbol collection, ITypeSymbol dependent)
        {
            var backReferences = new List<IPropertySymbol>();
            AttributeData? inverse = AttributeReader.OfType(collection, KnownAttributes.InverseProperty).FirstOrDefault();
            string? inverseName = inverse is null ? null : AttributeReader.PositionalString(inverse, 0);
            foreach (IPropertySymbol candidate in EntityDetector.MappableProperties(dependent))
            {
                if (NavigationKind.Classify(candidate, out ITypeSymbol? target) == PropertyRole.Reference
                    && SymbolEqualityComparer.Default.Equals(target, _type)
                    && (inverseName is null || candidate.Name == inverseName))
                {
                    backReferences.Add(candidate);
                }
            }

            if (inverse is not null && backReferences.Count == 0)
            {
                Report(RelationshipDiagnosticDescriptors.ForeignKeyPropertyNotFound, AttributeReader.LocationOf(inverse, null, 0, Where(collection), _ct),
                    inverseName ?? "null", _type.Name, collection.Name, "navigation of '" + dependent.Name + "' back to '" + _type.Name + "', as [InverseProperty] requires; it");
                return;
            }

            if (backReferences.Count != 1)
            {
                Report(RelationshipDiagnosticDescriptors.CollectionWithoutInverse, Where(collection), _type.Name, collection.Name, dependent.Name,
                    backReferences.Count == 0 ? "it has none" : "it has " + backReferences.Count + ": " + string.Join(", ", backReferences.Select(b => b.Name)));
                return;
            }

            // The dependent reports its own key problems; a collection only needs the key's name.
            List<IPropertySymbol> principalKeys = EntityDetector.KeysOf(_type);
            IPropertySymbol? key = principalKeys.Count > 1
                ? FindCompositeForeignKey(dependent, backReferences[0], _type, principalKeys, report: false)?[0]
                : FindForeignKey(dependent, backReferences[0], _type, report: false);
            if (key is not null)
            {
                Collections.Add(new CollectionNavigationModel
                {
                    PropertyName = collection.Name,
                    DependentEntity = dependent.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                    ForeignKeyProperty = key.Name,
                });
            }
        }

        private static LocationInfo? Where(IPropertySymbol property) => AttributeReader.ToInfo(property.Locations.FirstOrDefault());

        private void Report(DiagnosticDescriptor descriptor, LocationInfo? location, params object?[] args) => _report(descriptor, location, args);
    }
}
