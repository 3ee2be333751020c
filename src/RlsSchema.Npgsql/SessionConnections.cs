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

    private readonly Lock _switching = new();
    private readonly Func<NpgsqlDataSource>? _buildPlain;
    private readonly NpgsqlDataSource? _preparing;
    private NpgsqlDataSource? _plain;
    private int _verdict;

    private SessionConnections(NpgsqlDataSource? plain, Func<SessionConnections, NpgsqlDataSource>? preparing, Func<NpgsqlDataSource>? buildPlain = null)
    {
        _plain = plain;
        _buildPlain = buildPlain;
        _preparing = preparing?.Invoke(this);
    }

    /// <summary>
    /// Connections as <paramref name="settings"/> say. When <paramref name="decidePreparation"/> (the connection string did
    /// not name Max Auto Prepare), statements are prepared on a direct connection and not through a pooler; otherwise with
    /// Max Auto Prepare=0 never, and with more always, a pooler being refused.
    /// </summary>
    /// <param name="settings">The session connection, with the builder's Max Auto Prepare in it.</param>
    /// <param name="decidePreparation">Whether the pooler check decides preparation.</param>
    /// <param name="configure">Applies the builder's logging and Npgsql settings to each Npgsql data source.</param>
    public static SessionConnections Create(NpgsqlConnectionStringBuilder settings, bool decidePreparation, Action<NpgsqlDataSourceBuilder> configure)
    {
        var connectionString = settings.ConnectionString;
        if (!decidePreparation)
        {
            return settings.MaxAutoPrepare > 0
                ? new SessionConnections(null, self => self.Preparing(connectionString, refuse: true, configure))
                : new SessionConnections(Build(connectionString, configure), null);
        }

        // Npgsql's reset would run on whichever server connection a pooler hands out next, for nothing.
        var plain = new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 0 };
        if (!Names(connectionString, "No Reset On Close"))
        {
            plain.NoResetOnClose = true;
        }

        // The plain pool is built only once a pooler shows, and the preparing one is emptied then: the pool limits of the
        // connection string (Max Pool Size, Min Pool Size) hold for the sessions' connections together, not for each pool.
        return new SessionConnections(
            null, self => self.Preparing(connectionString, refuse: false, configure), () => Build(plain.ConnectionString, configure));
    }

    /// <summary>Connections from one Npgsql data source, used as it is; it is disposed with these connections.</summary>
    public static SessionConnections Over(NpgsqlDataSource dataSource) => new(dataSource, null);

    /// <summary>The pool sessions take their next connection from.</summary>
    public NpgsqlDataSource Current => UsesPreparing ? _preparing! : Plain();

    // Preparing while connections look direct, or always when the connection string asked for preparation.
    private bool UsesPreparing => _preparing is not null && (_buildPlain is null && _plain is null || Volatile.Read(ref _verdict) != ThroughPooler);

    /// <summary>Opens a connection: a preparing one while the connection looks direct, a plain one once a pooler showed.</summary>
    public async ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        if (UsesPreparing)
        {
            try
            {
                return await _preparing!.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PoolerFoundException) when (_buildPlain is not null)
            {
                // This new connection showed a pooler: from now on sessions take plain connections.
            }
        }

        return await Plain().OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    // The plain pool, built the first time it is needed; the preparing pool's idle connections close then, and its busy
    // ones as they are returned, so that the two pools never hold more than the limits between them but for the moment
    // of the switch.
    private NpgsqlDataSource Plain()
    {
        if (Volatile.Read(ref _plain) is { } plain)
        {
            return plain;
        }

        lock (_switching)
        {
            if (_plain is null)
            {
                _preparing?.Clear();
                Volatile.Write(ref _plain, _buildPlain!());
            }

            return _plain;
        }
    }

    /// <summary>Closes the pools.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _plain) is { } plain)
        {
            await plain.DisposeAsync().ConfigureAwait(false);
        }

        if (_preparing is not null)
        {
            await _preparing.DisposeAsync().ConfigureAwait(false);
        }
    }

    // A pooler, or a proxy such as Neon's, answers the connection itself: the process id in its cancel key is not the
    // backend's. A direct connection's is. Each new physical connection is asked once, before any statement of a session.
    private NpgsqlDataSource Preparing(string connectionString, bool refuse, Action<NpgsqlDataSourceBuilder> configure)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        configure(builder);
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

    private static NpgsqlDataSource Build(string connectionString, Action<NpgsqlDataSourceBuilder> configure)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        configure(builder);
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

    internal static bool Names(string connectionString, string keyword)
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
