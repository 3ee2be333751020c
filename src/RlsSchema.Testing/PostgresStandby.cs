using System;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace RlsSchema.Testing;

/// <summary>
/// A streaming hot standby of a throwaway <see cref="PostgresServer"/>, made with <c>pg_basebackup -R</c>: it replays
/// everything the primary writes (roles, databases, policies, rows) and refuses writes. Removed on dispose.
/// </summary>
public sealed class PostgresStandby : IAsyncDisposable
{
    private static readonly TimeSpan ReplayTimeout = TimeSpan.FromSeconds(30);

    private readonly LocalCluster _cluster;
    private readonly string _primaryConnectionString;

    internal PostgresStandby(LocalCluster cluster, string primaryConnectionString)
    {
        _cluster = cluster;
        _primaryConnectionString = primaryConnectionString;
        ConnectionString = Rewrite(primaryConnectionString);
    }

    /// <summary>Finalizer: stops a standby that was never disposed.</summary>
    ~PostgresStandby()
    {
        _cluster.Cleanup();
    }

    /// <summary>The loopback port the standby listens on.</summary>
    public int Port => _cluster.Port;

    /// <summary>An Npgsql connection string for the server's administrator on the standby, to the maintenance database.</summary>
    public string ConnectionString { get; }

    /// <summary>The same connection string, pointed at the standby: host and port change, nothing else.</summary>
    /// <param name="connectionString">An Npgsql connection string for the primary.</param>
    /// <returns>The rewritten connection string.</returns>
    public string Rewrite(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = Port }.ConnectionString;

    /// <summary>Waits until the standby has replayed everything the primary had written when this was called.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="TimeoutException">The standby did not catch up within 30 seconds; the message holds its log.</exception>
    public async Task WaitForReplayAsync(CancellationToken cancellationToken = default)
    {
        string target;
        await using (var primary = new NpgsqlConnection(_primaryConnectionString))
        {
            await primary.OpenAsync(cancellationToken).ConfigureAwait(false);
            // The insert position: with synchronous_commit off a commit may not be written yet, but it is inserted.
            await using var current = new NpgsqlCommand("SELECT pg_current_wal_insert_lsn()::text", primary);
            target = (string)(await current.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        await using var standby = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await standby.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var replayed = new NpgsqlCommand("SELECT coalesce(pg_last_wal_replay_lsn() >= @target::pg_lsn, false)", standby);
        replayed.Parameters.AddWithValue("target", target);
        var started = DateTime.UtcNow;
        while (!(bool)(await replayed.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
        {
            if (DateTime.UtcNow - started > ReplayTimeout)
            {
                throw new TimeoutException(
                    $"The standby did not replay the primary's WAL up to {target} within {ReplayTimeout.TotalSeconds:0} s. Its log:\n{_cluster.ReadLog()}");
            }

            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The standby's server log.</summary>
    /// <returns>The log text.</returns>
    public string ReadLog() => _cluster.ReadLog();

    /// <summary>Stops the standby and removes its folder.</summary>
    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        _cluster.Cleanup();
        return ValueTask.CompletedTask;
    }
}
