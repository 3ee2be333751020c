using Microsoft.CodeAnalysis;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Parsing.Building
{
    /// <summary>A built column together with the property it came from, for the checks and builders that need both.</summary>
    /// <param name="Symbol">The property.</param>
    /// <param name="Column">The column.</param>
    /// <param name="Location">Where the property is declared.</param>
    internal sealed record MappedColumn(IPropertySymbol Symbol, ColumnModel Column, LocationInfo? Location);
}
