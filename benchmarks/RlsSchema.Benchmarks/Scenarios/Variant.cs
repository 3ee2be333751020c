using System;
using System.Threading;
using System.Threading.Tasks;
using RlsSchema.Benchmarks.Harness;

namespace RlsSchema.Benchmarks.Scenarios;

internal static class Variant
{
    /// <summary>
    /// Runs the operation once and checks it returned what it should (e.g. the measured user's 50 todos), so that a
    /// variant which silently reads nothing can never look fast; then wraps it for the throughput runner.
    /// </summary>
    public static async Task<ThroughputVariant> CheckedAsync(
        string name, Func<CancellationToken, Task<int>> operation, int expected, CancellationToken cancellationToken)
    {
        var actual = await operation(cancellationToken);
        if (actual != expected)
        {
            throw new InvalidOperationException($"'{name}' returned {actual} rows where {expected} were expected; its figures would mean nothing.");
        }
        return new ThroughputVariant(name, async (_, ct) => await operation(ct).ConfigureAwait(false));
    }

    /// <summary>As <see cref="CheckedAsync(string, Func{CancellationToken, Task{int}}, int, CancellationToken)"/>, for an operation with per-client state.</summary>
    public static async Task<ThroughputVariant> CheckedPerClientAsync(
        string name, Func<int, CancellationToken, Task<int>> operation, int expected, CancellationToken cancellationToken)
    {
        var actual = await operation(0, cancellationToken);
        if (actual != expected)
        {
            throw new InvalidOperationException($"'{name}' returned {actual} rows where {expected} were expected; its figures would mean nothing.");
        }
        return new ThroughputVariant(name, async (client, ct) => await operation(client, ct).ConfigureAwait(false));
    }
}
