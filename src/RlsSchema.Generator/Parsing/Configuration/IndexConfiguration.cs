using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using RlsSchema.Generator.Diagnostics;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Parsing.Configuration
{
    /// <summary>What one <c>[Index]</c> says, unchecked.</summary>
    /// <param name="Location">Where the attribute is written.</param>
    /// <param name="Properties">The property names it lists (empty when it lists none).</param>
    /// <param name="PropertyLocations">Where each listed name is written.</param>
    /// <param name="Name">The <c>Name</c> argument.</param>
    /// <param name="Unique">Whether <c>Unique</c> is true.</param>
    /// <param name="IsEfCore">Whether it is EF Core's <c>[Index]</c>, whose default name is EF Core's <c>ix_&lt;table&gt;_&lt;columns&gt;</c>.</param>
    internal sealed record IndexConfiguration(
        LocationInfo? Location,
        IReadOnlyList<string?> Properties,
        IReadOnlyList<LocationInfo?> PropertyLocations,
        NamedArgument Name,
        bool Unique,
        bool IsEfCore = false)
    {
        /// <summary>
        /// Reads one of EF Core's <c>[Index(nameof(A), nameof(B), IsUnique = true, Name = ...)]</c>; its property names are
        /// spread over the constructor's first and <c>params</c> arguments.
        /// </summary>
        /// <param name="context">The entity being parsed.</param>
        /// <param name="attribute">The attribute.</param>
        public static IndexConfiguration FromEfCore(ParseContext context, AttributeData attribute)
        {
            LocationInfo? at = context.LocationOf(attribute, null, -1, context.ClassLocation);
            var names = new List<string?>();
            foreach (TypedConstant argument in attribute.ConstructorArguments)
            {
                if (argument.Kind == TypedConstantKind.Array)
                {
                    names.AddRange(argument.Values.IsDefault ? Enumerable.Empty<string?>() : argument.Values.Select(v => v.Value as string));
                }
                else
                {
                    names.Add(argument.Value as string);
                }
            }

            // Descending columns have no place in the model yet: refused, so the index is never silently ascending.
            foreach (string descending in new[] { "IsDescending", "AllDescending" })
            {
                if (AttributeReader.HasNamed(attribute, descending))
                {
                    context.Report(DiagnosticDescriptors.InvalidAttributeUsage, context.LocationOf(attribute, descending, -1, at), "[Index(" + descending + ")]", context.Name, "descending index columns are not supported; remove " + descending + ", or create that index in a migration");
                }
            }

            return new IndexConfiguration(
                at,
                names,
                names.Select((_, i) => context.LocationOf(attribute, null, i, at)).ToList(),
                NamedArgument.From(context, attribute, "Name", at),
                AttributeReader.Named(attribute, "IsUnique")?.Value is true,
                IsEfCore: true);
        }

        /// <summary>Reads one <c>[Index]</c>.</summary>
        /// <param name="context">The entity being parsed.</param>
        /// <param name="attribute">The attribute.</param>
        /// <param name="fallback">Where to report when the attribute has no syntax: the property, or the class.</param>
        public static IndexConfiguration From(ParseContext context, AttributeData attribute, LocationInfo? fallback)
        {
            LocationInfo? at = context.LocationOf(attribute, null, -1, fallback);
            List<string?> names = AttributeReader.Positional(attribute, 0) is { Kind: TypedConstantKind.Array } array && !array.Values.IsDefault
                ? array.Values.Select(v => v.Value as string).ToList()
                : new List<string?>();
            return new IndexConfiguration(
                at,
                names,
                names.Select((_, i) => context.LocationOf(attribute, null, i, at)).ToList(),
                NamedArgument.From(context, attribute, nameof(IndexAttribute.Name), at),
                AttributeReader.Named(attribute, nameof(IndexAttribute.Unique))?.Value is true);
        }
    }
}
