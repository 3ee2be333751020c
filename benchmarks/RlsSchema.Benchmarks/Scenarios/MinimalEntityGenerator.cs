using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace RlsSchema.Benchmarks.Scenarios;

/// <summary>
/// A yardstick for the generator scenario: the least any attribute-driven generator must do over the same
/// compilation. It finds the <c>[CrudPolicy]</c> classes with ForAttributeWithMetadataName, reads each property's
/// type and attribute names, and emits one line per class. The difference between this and RlsSchema's generator is
/// RlsSchema's own work; this part is Roslyn's.
/// </summary>
internal sealed class MinimalEntityGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var entities = context.SyntaxProvider.ForAttributeWithMetadataName(
                "RlsSchema.CrudPolicyAttribute",
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, ct) =>
                {
                    var type = (INamedTypeSymbol)ctx.TargetSymbol;
                    var line = new StringBuilder(type.Name);
                    foreach (var property in type.GetMembers().OfType<IPropertySymbol>())
                    {
                        ct.ThrowIfCancellationRequested();
                        line.Append(' ').Append(property.Name).Append(':').Append(property.Type.ToDisplayString());
                        foreach (var attribute in property.GetAttributes())
                        {
                            line.Append('@').Append(attribute.AttributeClass?.Name);
                        }
                    }
                    return line.ToString();
                })
            .Collect();
        context.RegisterSourceOutput(entities, static (spc, lines) =>
            spc.AddSource("Entities.g.cs", "// " + string.Join("\n// ", lines)));
    }
}
