using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using RlsSchema.Generator.Diagnostics;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Parsing.Relationships
{
    /// <summary>Reads a foreign key's ON DELETE action from <c>[OnDelete]</c> and EF Core's <c>[DeleteBehavior]</c>, which must agree.</summary>
    internal sealed partial class RelationshipReader
    {
        // RlsSchema's [OnDelete] on the key or the navigation, and EF Core's [DeleteBehavior] on the navigation or on the
        // principal's collection of this relationship (EF Core reads both ends): all that stand must agree. A key with a
        // nullable column is optional (EF Core's default for it is NO ACTION); SET NULL needs every column nullable.
        private bool TryReadDeleteAction(IPropertySymbol key, IPropertySymbol navigation, ITypeSymbol principal, IReadOnlyList<ColumnModel> columns, out ReferentialAction action)
        {
            action = columns.Any(c => c.IsNullable) ? ReferentialAction.NoAction : ReferentialAction.Cascade;
            var rules = new List<DeleteRule>();
            IPropertySymbol onDeleteHolder = AttributeReader.Has(key, KnownAttributes.OnDelete) ? key : navigation;
            AttributeData? onDelete = AttributeReader.OfType(onDeleteHolder, KnownAttributes.OnDelete).FirstOrDefault();
            if (onDelete is not null && AttributeReader.Positional(onDelete, 0)?.Value is int value)
            {
                LocationInfo? at = AttributeReader.LocationOf(onDelete, null, 0, Where(onDeleteHolder), _ct);
                if (!Enum.IsDefined(typeof(ReferentialAction), value))
                {
                    Report(DiagnosticDescriptors.InvalidAttributeUsage, at, "[OnDelete]", _type.Name + "." + key.Name, value + " is not a " + nameof(ReferentialAction));
                    return false;
                }

                rules.Add(new DeleteRule((ReferentialAction)value, "[OnDelete(" + nameof(ReferentialAction) + "." + (ReferentialAction)value + ")]", _type.Name + "." + onDeleteHolder.Name, at));
            }

            foreach (IPropertySymbol holder in DeleteBehaviorHolders(key, navigation, principal))
            {
                AttributeData attribute = AttributeReader.OfType(holder, KnownAttributes.EfDeleteBehavior).First();
                if (!(AttributeReader.Positional(attribute, 0)?.Value is int behavior))
                {
                    continue;
                }

                LocationInfo? at = AttributeReader.LocationOf(attribute, null, 0, Where(holder), _ct);
                string where = holder.ContainingType.Name + "." + holder.Name;
                if (!EfDeleteBehavior.TryMap(behavior, out ReferentialAction mapped))
                {
                    Report(DiagnosticDescriptors.InvalidAttributeUsage, at, "[DeleteBehavior]", where, behavior + " is not a DeleteBehavior EF Core defines, so its ON DELETE action is unknown");
                    return false;
                }

                rules.Add(new DeleteRule(mapped, "[DeleteBehavior(" + EfDeleteBehavior.Display(behavior) + ")]", where, at));
            }

            if (rules.Count == 0)
            {
                return true;
            }

            DeleteRule first = rules[0];
            if (rules.FirstOrDefault(r => r.Action != first.Action) is { } other)
            {
                Report(DiagnosticDescriptors.ConflictingDeleteActions, other.Location, _type.Name, key.Name,
                    first.Attribute, first.Holder, SqlOf(first.Action), other.Attribute, other.Holder, SqlOf(other.Action));
                return false;
            }

            action = first.Action;
            if (action == ReferentialAction.SetNull && columns.FirstOrDefault(c => !c.IsNullable) is { } required)
            {
                Report(RelationshipDiagnosticDescriptors.SetNullOnRequiredKey, first.Location, _type.Name, required.PropertyName, first.Attribute);
                return false;
            }

            return true;
        }

        // The navigation, and the principal's collections whose inverse is this key, that carry [DeleteBehavior].
        private IEnumerable<IPropertySymbol> DeleteBehaviorHolders(IPropertySymbol key, IPropertySymbol navigation, ITypeSymbol principal)
        {
            if (AttributeReader.Has(navigation, KnownAttributes.EfDeleteBehavior))
            {
                yield return navigation;
            }

            foreach (IPropertySymbol collection in EntityDetector.MappableProperties(principal))
            {
                if (AttributeReader.Has(collection, KnownAttributes.EfDeleteBehavior)
                    && NavigationKind.Classify(collection, out ITypeSymbol? element) == PropertyRole.Collection
                    && SymbolEqualityComparer.Default.Equals(element, _type)
                    && InverseForeignKeyOf(principal, collection, _type) == key.Name)
                {
                    yield return collection;
                }
            }
        }

        private static string SqlOf(ReferentialAction action) => action switch
        {
            ReferentialAction.Cascade => "CASCADE",
            ReferentialAction.SetNull => "SET NULL",
            ReferentialAction.Restrict => "RESTRICT",
            _ => "NO ACTION",
        };

        // One attribute's say on ON DELETE: the action, the attribute as written, the property it stands on, and where.
        private sealed class DeleteRule
        {
            public DeleteRule(ReferentialAction action, string attribute, string holder, LocationInfo? location)
            {
                Action = action;
                Attribute = attribute;
                Holder = holder;
                Location = location;
            }

            public ReferentialAction Action { get; }

            public string Attribute { get; }

            public string Holder { get; }

            public LocationInfo? Location { get; }
        }
    }
}
