using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace RlsSchema.Generator.Migrations
{
    /// <summary>Reads <c>[RenamedFrom]</c> from a class or property.</summary>
    internal static class RenameReader
    {
        /// <summary>The attribute's full name.</summary>
        public const string AttributeName = "RlsSchema.RenamedFromAttribute";

        /// <summary>Reads the attribute on the context's symbol.</summary>
        /// <param name="context">The attribute's target.</param>
        /// <param name="cancellationToken">Cancels the read.</param>
        /// <returns>The rename, or null when the attribute has no usable name.</returns>
        public static RenameInfo? Read(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string? oldName = context.Attributes.FirstOrDefault()?.ConstructorArguments.FirstOrDefault().Value as string;
            if (string.IsNullOrEmpty(oldName))
            {
                return null;
            }

            switch (context.TargetSymbol)
            {
                case INamedTypeSymbol type:
                    return new RenameInfo(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), null, oldName!);
                case IPropertySymbol property:
                    return new RenameInfo(property.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), property.Name, oldName!);
                default:
                    return null;
            }
        }
    }
}
