using System;
using System.Globalization;
using System.IO;
using System.Threading;

namespace RlsSchema.Security.Tests.Infrastructure;

/// <summary>
/// The figures SECURITY.md publishes. Each test adds what it did; every addition is also appended to
/// <c>security-figures.tsv</c> in the test output folder (or <c>RLS_SECURITY_FIGURES</c>), one line per test.
/// </summary>
public static class SecurityFigures
{
    private static readonly Lock FileLock = new();

    /// <summary>Records what one test did.</summary>
    /// <param name="test">The test's name.</param>
    /// <param name="operations">Operations or queries run on behalf of end users.</param>
    /// <param name="attacks">Hostile inputs tried (bad tokens, escapes, cross-user requests, hostile declarations).</param>
    /// <param name="faults">Faults injected (exceptions, cancellations, killed backends, restarts).</param>
    /// <param name="leaks">Rows or claims of another user that came back, or divergences from the model.</param>
    public static void Record(string test, long operations, long attacks, long faults, long leaks)
    {
        string path = Environment.GetEnvironmentVariable("RLS_SECURITY_FIGURES") is { Length: > 0 } p
            ? p
            : Path.Combine(AppContext.BaseDirectory, "security-figures.tsv");
        string line = string.Join('\t',
            DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture),
            RunMode.Long ? "long" : "ci",
            test,
            operations.ToString(CultureInfo.InvariantCulture),
            attacks.ToString(CultureInfo.InvariantCulture),
            faults.ToString(CultureInfo.InvariantCulture),
            leaks.ToString(CultureInfo.InvariantCulture));
        lock (FileLock)
        {
            File.AppendAllText(path, line + Environment.NewLine);
        }
    }
}
