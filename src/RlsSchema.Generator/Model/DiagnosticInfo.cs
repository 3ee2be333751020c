using System.Linq;

namespace RlsSchema.Generator.Model
{
    /// <summary>A diagnostic as data, reported on its own pipeline branch so that it never forces code to regenerate.</summary>
    /// <param name="DescriptorId">The id of a descriptor in <c>DiagnosticDescriptors</c>.</param>
    /// <param name="Location">Where to report it; null for no location.</param>
    /// <param name="Arguments">The message format arguments, already turned into text.</param>
    internal sealed record DiagnosticInfo(string DescriptorId, LocationInfo? Location, ImmutableEquatableArray<string> Arguments)
    {
        /// <summary>Creates a diagnostic with the given message arguments.</summary>
        /// <param name="descriptorId">The descriptor id.</param>
        /// <param name="location">Where to report it.</param>
        /// <param name="arguments">The message arguments.</param>
        /// <returns>The diagnostic.</returns>
        public static DiagnosticInfo Create(string descriptorId, LocationInfo? location, params object?[] arguments) =>
            new DiagnosticInfo(descriptorId, location, arguments.Select(a => a?.ToString() ?? "").ToImmutableEquatableArray());
    }
}
