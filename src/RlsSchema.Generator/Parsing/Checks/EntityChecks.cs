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

        /// <summary>
        /// RLS0002 and RLS0003: one key, of one property or named by EF Core's <c>[PrimaryKey]</c>. RLS0017: a
        /// <c>[PrimaryKey]</c> naming no mapped property, a name twice, or beside a <c>[Key]</c>. RLS0022: EF Core's
        /// <c>[Keyless]</c> says there is none.
        /// </summary>
        public static void Key(ParseContext context, IReadOnlyList<MappedColumn> columns)
        {
            if (AttributeReader.OfType(context.Type, KnownAttributes.EfKeyless).FirstOrDefault() is { } keyless)
            {
                context.Report(DiagnosticDescriptors.KeylessEntity, context.LocationOf(keyless, null, -1, context.ClassLocation), context.Name);
                return;
            }

            if (AttributeReader.OfType(context.Type, KnownAttributes.EfPrimaryKey).FirstOrDefault() is { } primaryKey)
            {
                PrimaryKeyNamesMappedProperties(context, primaryKey, columns);
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

        // [PrimaryKey(nameof(A), nameof(B))]: every name a mapped property, once, and no [Key] beside it.
        private static void PrimaryKeyNamesMappedProperties(ParseContext context, AttributeData primaryKey, IReadOnlyList<MappedColumn> columns)
        {
            List<string> names = PropertyCollector.PrimaryKeyNames(context.Type) ?? new List<string>();
            for (int i = 0; i < names.Count; i++)
            {
                string? problem = !columns.Any(c => c.Symbol.Name == names[i])
                    ? "it names '" + names[i] + "', which is not a mapped property of '" + context.Name + "'; use nameof(<property>)"
                    : names.IndexOf(names[i]) < i ? "it names '" + names[i] + "' twice" : null;
                if (problem is not null)
                {
                    context.Report(DiagnosticDescriptors.InvalidAttributeUsage, context.LocationOf(primaryKey, null, i), "[PrimaryKey]", context.Name, problem);
                }
            }

            foreach (MappedColumn column in columns)
            {
                if (AttributeReader.OfType(column.Symbol, KnownAttributes.Key).FirstOrDefault() is { } key)
                {
                    context.Report(DiagnosticDescriptors.InvalidAttributeUsage, context.LocationOf(key, null, -1, column.Location), "[Key]", context.Name + "." + column.Symbol.Name,
                        "the class's [PrimaryKey] names the key; remove [Key] or [PrimaryKey]");
                }
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
