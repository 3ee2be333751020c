using System.Linq;
using System.Threading.Tasks;
using RlsSchema.Tests.Generation;
using Xunit;

namespace RlsSchema.Generator.Tests;

/// <summary>RLS0301: a statement that begins a session's transaction and drops it gets a warning on that line.</summary>
public class DiscardedTransactionAnalyzerTests
{
    private const string Id = "RLS0301";

    [Theory]
    [InlineData("await session.BeginTransactionAsync();")]
    [InlineData("await session.BeginTransactionAsync(System.Data.IsolationLevel.Serializable);")]
    [InlineData("session.BeginTransactionAsync();")]
    [InlineData("await session.BeginTransactionAsync().ConfigureAwait(false);")]
    [InlineData("await concrete.BeginTransactionAsync(default);")]
    public async Task A_discarded_transaction_gets_the_warning_on_its_line(string statement)
    {
        var (errors, diagnostics) = await GeneratorHarness.AnalyzeAsync(Source(statement));

        Assert.Empty(errors);
        var warning = Assert.Single(diagnostics, d => d.Id == Id);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal(StatementLine, warning.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains("BeginTransactionAsync", warning.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("await using var transaction = await session.BeginTransactionAsync(); await transaction.CommitAsync();")]
    [InlineData("var transaction = await session.BeginTransactionAsync(); await transaction.RollbackAsync();")]
    [InlineData("_ = await session.BeginTransactionAsync();")]
    [InlineData("await (await session.BeginTransactionAsync()).CommitAsync();")]
    [InlineData("await other.BeginTransactionAsync();")]
    public async Task A_kept_or_explicitly_discarded_transaction_and_other_types_get_none(string statement)
    {
        var (errors, diagnostics) = await GeneratorHarness.AnalyzeAsync(Source(statement));

        Assert.Empty(errors);
        Assert.DoesNotContain(diagnostics, d => d.Id == Id);
    }

    // The line (0-based) the statement is on in Source.
    private const int StatementLine = 9;

    private static string Source(string statement) => $$"""
        using System.Threading.Tasks;
        using RlsSchema.Npgsql;

        public static class Work
        {
            public static async Task RunAsync(IRlsSession session, RlsSession concrete, Other other)
            {
                await Task.Yield();
                // the statement:
                {{statement}}
            }
        }

        public sealed class Other
        {
            public Task<int> BeginTransactionAsync() => Task.FromResult(0);
        }
        """;
}
