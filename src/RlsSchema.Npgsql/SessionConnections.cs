using System;
using System.Data.Common;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace RlsSchema.Npgsql;

/// <summary>
/// Where sessions take their connections from. Sessions send the same few statements over and over, so on a direct
/// connection Npgsql prepares them (inside the batch, after the role is set; PostgreSQL re-plans a prepared statement
/// whose row-level security depends on another role). Behind a pooler in transaction mode a statement prepared on one
/// server connection is missing, or is another statement, on the next; so, unless the connection string says otherwise,
/// each new connection is asked whether it is direct, and once one is not, sessions prepare nothing.
/// </summary>
internal sealed class SessionConnections : IAsyncDisposable
{
    private const string BackendPidQuery = "SELECT pg_backend_pid()";
    private const int Unknown = 0;
    private const int Direct = 1;
    private const int ThroughPooler = 2;

    private readonly NpgsqlDataSource? _plain;
    private readonly NpgsqlDataSource? _preparing;
    private int _verdict;

    private SessionConnections(NpgsqlDataSource? plain, Func<SessionConnections, NpgsqlDataSource>? preparing)
    {
        _plain = plain;
        _preparing = preparing?.Invoke(this);
    }

    /// <summary>
    /// Connections as the string says. Without Max Auto Prepare, statements are prepared on a direct connection and not
    /// through a pooler; with Max Auto Prepare=0, never; with more, always, and a pooler is refused.
    /// </summary>
    public static SessionConnections Create(string connectionString)
    {
        var npgsql = PostgresConnectionString.ToNpgsql(connectionString);
        if (Names(npgsql, "Max Auto Prepare"))
        {
            return new NpgsqlConnectionStringBuilder(npgsql).MaxAutoPrepare > 0
                ? new SessionConnections(null, self => self.Preparing(npgsql, refuse: true))
                : new SessionConnections(NpgsqlDataSource.Create(npgsql), null);
        }

        // Npgsql's reset would run on whichever server connection a pooler hands out next, for nothing.
        var plain = new NpgsqlConnectionStringBuilder(npgsql) { MaxAutoPrepare = 0 };
        if (!Names(npgsql, "No Reset On Close"))
        {
            plain.NoResetOnClose = true;
        }

        var preparing = new NpgsqlConnectionStringBuilder(npgsql) { MaxAutoPrepare = 32, AutoPrepareMinUsages = 2 }.ConnectionString;
        return new SessionConnections(NpgsqlDataSource.Create(plain.ConnectionString), self => self.Preparing(preparing, refuse: false));
    }

    /// <summary>Connections from a data source the caller built and owns; used as it is.</summary>
    public static SessionConnections Over(NpgsqlDataSource dataSource) => new(dataSource, null);

    /// <summary>Opens a connection: a preparing one while the connection looks direct, a plain one once a pooler showed.</summary>
    public async ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        if (_preparing is not null && (_plain is null || Volatile.Read(ref _verdict) != ThroughPooler))
        {
            try
            {
                return await _preparing.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PoolerFoundException) when (_plain is not null)
            {
                // This new connection showed a pooler: from now on sessions take plain connections.
            }
        }

        return await _plain!.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the pools.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_plain is not null)
        {
            await _plain.DisposeAsync().ConfigureAwait(false);
        }

        if (_preparing is not null)
        {
            await _preparing.DisposeAsync().ConfigureAwait(false);
        }
    }

    // A pooler, or a proxy such as Neon's, answers the connection itself: the process id in its cancel key is not the
    // backend's. A direct connection's is. Each new physical connection is asked once, before any statement of a session.
    private NpgsqlDataSource Preparing(string connectionString, bool refuse)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UsePhysicalConnectionInitializer(
            connection =>
            {
                using var command = new NpgsqlCommand(BackendPidQuery, connection);
                Judge(connection, (int)command.ExecuteScalar()!, refuse);
            },
            async connection =>
            {
                var command = new NpgsqlCommand(BackendPidQuery, connection);
                await using (command.ConfigureAwait(false))
                {
                    Judge(connection, (int)(await command.ExecuteScalarAsync().ConfigureAwait(false))!, refuse);
                }
            });
        return builder.Build();
    }

    private void Judge(NpgsqlConnection connection, int backendPid, bool refuse)
    {
        if (backendPid == connection.ProcessID)
        {
            Interlocked.CompareExchange(ref _verdict, Direct, Unknown);
            return;
        }

        Volatile.Write(ref _verdict, ThroughPooler);
        if (refuse)
        {
            throw new InvalidOperationException(
                "The session connection string sets Max Auto Prepare, but the connection goes through a pooler or proxy (PgBouncer, "
                + "Neon's -pooler host, Supavisor): in transaction pooling a prepared statement would run on whatever server connection "
                + "comes next. Remove Max Auto Prepare from the session connection string (sessions then prepare statements only on a "
                + "direct connection) or set 'Max Auto Prepare=0'. No statement was run.");
        }

        throw new PoolerFoundException();
    }

    private static bool Names(string connectionString, string keyword)
    {
        // NpgsqlConnectionStringBuilder knows every keyword; the plain builder holds only those the string names.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var wanted = keyword.Replace(" ", "", StringComparison.Ordinal);
        foreach (string key in given.Keys)
        {
            if (string.Equals(key.Replace(" ", "", StringComparison.Ordinal), wanted, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class PoolerFoundException : Exception
    {
        public PoolerFoundException()
            : base("The connection goes through a pooler; sessions take plain connections instead.")
        {
        }
    }
}
