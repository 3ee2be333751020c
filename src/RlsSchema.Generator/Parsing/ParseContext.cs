using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using RlsSchema.Generator.Diagnostics;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Parsing
{
    /// <summary>What every reader and builder of one entity shares: the class, where it is declared, cancellation, and where diagnostics go.</summary>
    internal sealed class ParseContext
    {
        private readonly List<DiagnosticInfo> _diagnostics = new List<DiagnosticInfo>();

        public ParseContext(INamedTypeSymbol type, LocationInfo? classLocation, CancellationToken cancellationToken)
        {
            Type = type;
            ClassLocation = classLocation;
            CancellationToken = cancellationToken;
        }

        /// <summary>The entity class.</summary>
        public INamedTypeSymbol Type { get; }

        /// <summary>The entity's simple name, as diagnostics show it.</summary>
        public string Name => Type.Name;

        /// <summary>The class name's location: where a diagnostic goes that has no better place.</summary>
        public LocationInfo? ClassLocation { get; }

        /// <summary>Cancels parsing.</summary>
        public CancellationToken CancellationToken { get; }

        /// <summary>Whether an error was reported, which makes the entity unusable.</summary>
        public bool HasErrors => _diagnostics.Any(d => DiagnosticDescriptors.All[d.DescriptorId].DefaultSeverity == DiagnosticSeverity.Error);

        /// <summary>The diagnostics reported so far, in order.</summary>
        public ImmutableEquatableArray<DiagnosticInfo> Diagnostics => _diagnostics.ToImmutableEquatableArray();

        /// <summary>Reports a diagnostic at <paramref name="location"/>, or at the class when it is null.</summary>
        public void Report(DiagnosticDescriptor descriptor, LocationInfo? location, params object?[] arguments) =>
            _diagnostics.Add(DiagnosticInfo.Create(descriptor.Id, location ?? ClassLocation, arguments));

        /// <summary>Where an attribute, or one of its arguments, is written; the class when it has no syntax.</summary>
        public LocationInfo? LocationOf(AttributeData attribute, string? argumentName = null, int position = -1, LocationInfo? fallback = null) =>
            AttributeReader.LocationOf(attribute, argumentName, position, fallback ?? ClassLocation, CancellationToken);
    }
}
