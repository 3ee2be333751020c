using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Parsing.Building
{
    /// <summary>A built policy and the attribute it came from, so that checks across policies can point at it.</summary>
    /// <param name="Policy">The policy.</param>
    /// <param name="Location">Where its attribute is written.</param>
    internal sealed record BuiltPolicy(PolicyModel Policy, LocationInfo? Location);
}
