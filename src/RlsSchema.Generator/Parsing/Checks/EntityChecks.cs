using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using RlsSchema.Generator.Diagnostics;
using RlsSchema.Generator.Parsing.Building;

namespace RlsSchema.Generator.Parsing.Checks
{
    /// <summary>Checks of the entity as a whole: its class shape, its key, its columns and its set of policies.</summary>
    internal static class EntityChecks
    {
        /// <summary>RLS0001: an entity is a top-level, non-generic, non-static, non-abstract, public or internal class.</summary>
        public static void Shape(ParseContext context)
        {
            INamedTypeSymbol type = context.Type;
            string? problem = null;
            if (type.TypeKind != TypeKind.Class)
            {
                problem = "a " + type.TypeKind.ToString().ToLowerInvariant() + ", not a class";
            }
            else if (type.IsGenericType)
            {
                problem = "generic";
            }
            else if (type.ContainingType is not null)
            {
                problem = "nested in '" + type.ContainingType.Name + "'";
            }
            else if (type.IsStatic)
            {
                problem = "static";
            }
            else if (type.IsAbstract)
            {
                problem = "abstract";
            }
            else if (type.DeclaredAccessibility != Accessibility.Public && type.DeclaredAccessibility != Accessibility.Internal)
            {
                problem = "neither public nor internal";
            }

            if (problem is not null)
            {
                context.Report(DiagnosticDescriptors.UnsupportedEntityShape, context.ClassLocation, context.Name, problem);
            }
        }

        /// <summary>RLS0014: two properties map to one column.</summary>
        public static void DuplicateColumns(ParseContext context, IReadOnlyList<MappedColumn> columns)
        {
            var byName = new Dictionary<string, MappedColumn>(StringComparer.Ordinal);
            foreach (MappedColumn column in columns)
            {
                if (byName.TryGetValue(column.Column.ColumnName, out MappedColumn? first))
                {
                    context.Report(DiagnosticDescriptors.DuplicateColumn, column.Location, first.Symbol.Name, column.Symbol.Name, context.Name, column.Column.ColumnName);
                }
                else
                {
                    byName.Add(column.Column.ColumnName, column);
                }
            }
        }

        /// <summary>RLS0002 and RLS0003: exactly one key. RLS0022: EF Core's <c>[Keyless]</c> says there is none.</summary>
        public static void Key(ParseContext context, IReadOnlyList<MappedColumn> columns)
        {
            if (AttributeReader.OfType(context.Type, KnownAttributes.EfKeyless).FirstOrDefault() is { } keyless)
            {
                context.Report(DiagnosticDescriptors.KeylessEntity, context.LocationOf(keyless, null, -1, context.ClassLocation), context.Name);
                return;
            }

            var keys = columns.Where(p => p.Column.IsKey).ToList();
            if (keys.Count == 0)
            {
                context.Report(DiagnosticDescriptors.MissingKey, context.ClassLocation, context.Name);
            }
            else if (keys.Count > 1)
            {
                context.Report(DiagnosticDescriptors.CompositeKey, keys[1].Location, context.Name, string.Join("', '", keys.Select(k => k.Symbol.Name)));
            }
        }

        /// <summary>
        /// RLS0013: policy names are unique per table. RLS0020: a permissive UPDATE or DELETE policy for a role
        /// without a permissive SELECT (or ALL) policy for it matches no rows, silently.
        /// </summary>
        public static void Policies(ParseContext context, string tableName, IReadOnlyList<BuiltPolicy> policies)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (BuiltPolicy built in policies)
            {
                if (!names.Add(built.Policy.Name))
                {
                    context.Report(DiagnosticDescriptors.DuplicatePolicy, built.Location, tableName, context.Name, built.Policy.Name);
                }
            }

            var reported = new HashSet<string>(StringComparer.Ordinal);
            foreach (BuiltPolicy built in policies)
            {
                PolicyCommand command = built.Policy.Command;
                if (built.Policy.Restrictive || (command != PolicyCommand.Update && command != PolicyCommand.Delete))
                {
                    continue;
                }

                string commandText = command.ToString().ToUpperInvariant();
                foreach (string role in built.Policy.Roles)
                {
                    bool hasSelect = policies.Any(p => !p.Policy.Restrictive
                        && (p.Policy.Command == PolicyCommand.Select || p.Policy.Command == PolicyCommand.All)
                        && p.Policy.Roles.Contains(role));
                    if (!hasSelect && reported.Add(role + "/" + commandText))
                    {
                        context.Report(DiagnosticDescriptors.ModifyWithoutSelect, built.Location, tableName, context.Name, commandText, role);
                    }
                }
            }
        }
    }
}
