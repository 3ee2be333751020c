using System.Threading.Tasks;
using RlsSchema.Npgsql;

namespace RlsSchema.Security.Tests.Infrastructure;

/// <summary>One text column named <c>Value</c>.</summary>
public sealed class TextRow
{
    public string? Value { get; set; }
}

/// <summary>Reads single text values through a session, as a row type (see the scalar-string defect test).</summary>
public static class SessionProbes
{
    /// <summary>Runs <paramref name="sql"/>, which must name its one column <c>"Value"</c>, and returns that text.</summary>
    public static async Task<string?> TextAsync(this IRlsSession session, string sql, object? parameters = null) =>
        (await session.QuerySingleOrDefaultAsync<TextRow>(sql, parameters, default))?.Value;
}
