using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Npgsql;
using Testcontainers.PostgreSql;

namespace RlsSchema.Testing;

/// <summary>
/// A real PostgreSQL server for tests and samples, found in this order: <c>DATABASE_URL</c>; else a throwaway cluster
/// from the local PostgreSQL binaries on a free loopback port (as the OS user <c>postgres</c> when running as root);
/// else a Testcontainers container when Docker answers. Whatever this server created is removed on dispose, and a
/// local cluster is also removed when the process exits.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly LocalCluster? _cluster;
    private readonly PostgreSqlContainer? _container;
    private readonly NpgsqlDataSource _admin;
    private readonly List<(string Database, string Role)> _created = [];
    private readonly SemaphoreSlim _createLock = new(1, 1);
    private int _disposed;

    private PostgresServer(PostgresServerKind kind, string connectionString, LocalCluster? cluster, PostgreSqlContainer? container)
    {
        Kind = kind;
        ConnectionString = connectionString;
        _cluster = cluster;
        _container = container;
        _admin = NpgsqlDataSource.Create(connectionString);
    }

    /// <summary>Finalizer: stops a local cluster that was never disposed.</summary>
    ~PostgresServer()
    {
        _cluster?.Cleanup();
    }

    /// <summary>Where the server came from.</summary>
    public PostgresServerKind Kind { get; }

    /// <summary>
    /// An Npgsql connection string for the server's administrator, to the maintenance database. For a throwaway local
    /// cluster it carries the superuser's random password, the only way in: keep it to this process.
    /// </summary>
    public string ConnectionString { get; }

    /// <summary>True when <see cref="StopAsync"/> and <see cref="ResumeAsync"/> are supported (local binaries).</summary>
    public bool CanRestart => _cluster is not null;

    /// <summary>
    /// Finds or starts a server: <c>DATABASE_URL</c>, else the local binaries, else Testcontainers, else the local binaries
    /// of Debian's <c>postgresql</c> package, installed with apt-get when the process runs as root.
    /// </summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it.</returns>
    /// <exception cref="InvalidOperationException">None of the three is available; the message says how to provide one.</exception>
    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        if (Environment.GetEnvironmentVariable("DATABASE_URL") is { Length: > 0 } url)
        {
            return await ExternalAsync(url, cancellationToken).ConfigureAwait(false);
        }

        if (LocalCluster.FindBinaries() is not null)
        {
            return await StartLocalAsync(cancellationToken).ConfigureAwait(false);
        }

        if (DockerMayAnswer())
        {
            PostgreSqlContainer? container = null;
            try
            {
                container = new PostgreSqlBuilder("postgres:16-alpine").Build();
                await container.StartAsync(cancellationToken).ConfigureAwait(false);
                return new PostgresServer(PostgresServerKind.Container, container.GetConnectionString(), null, container);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (container is not null)
                {
                    await container.DisposeAsync().ConfigureAwait(false);
                }

                throw NoServer(e);
            }
        }

        return await StartLocalAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts a throwaway cluster from the local PostgreSQL binaries, whatever the environment says.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it.</returns>
    /// <exception cref="InvalidOperationException">
    /// No binaries were found and they could not be installed (as root, with apt-get), or the cluster did not start.
    /// </exception>
    public static async Task<PostgresServer> StartLocalAsync(CancellationToken cancellationToken = default)
    {
        var bin = await FindOrInstallBinariesAsync(cancellationToken).ConfigureAwait(false);
        var cluster = await LocalCluster.CreateAndStartAsync(bin, cancellationToken).ConfigureAwait(false);
        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = cluster.Port,
            Username = "postgres",
            Password = cluster.Password,
            Database = "postgres",
        }.ConnectionString;
        return new PostgresServer(PostgresServerKind.LocalBinaries, connectionString, cluster, null);
    }

    /// <summary>
    /// Creates a fresh database, and a <c>LOGIN NOINHERIT</c> authenticator role granted <c>authenticated</c> and
    /// <c>anonymous</c> (both created <c>NOLOGIN</c> if missing). The database is dropped on dispose.
    /// </summary>
    /// <param name="name">The database name; a random one when null.</param>
    /// <param name="cancellationToken">Cancels the creation.</param>
    /// <returns>Connection strings for the owner and the authenticator.</returns>
    public async Task<TestDatabase> CreateDatabaseAsync(string? name = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        name ??= "rls_" + RandomNumberGenerator.GetHexString(10, lowercase: true);
        var role = name + "_authenticator";
        var password = RandomNumberGenerator.GetHexString(24, lowercase: true);

        // Roles are cluster-wide: serialize creating them with other callers of this server.
        await _createLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(
                $"""
                DO $roles$
                BEGIN
                  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN CREATE ROLE authenticated NOLOGIN; END IF;
                  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anonymous') THEN CREATE ROLE anonymous NOLOGIN; END IF;
                END
                $roles$;
                CREATE ROLE {Quote(role)} LOGIN NOINHERIT PASSWORD '{password}';
                GRANT authenticated, anonymous TO {Quote(role)};
                """,
                cancellationToken).ConfigureAwait(false);
            _created.Add((name, role));
            await ExecuteAsync($"CREATE DATABASE {Quote(name)}", cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _createLock.Release();
        }

        var owner = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
        var authenticator = new NpgsqlConnectionStringBuilder(ConnectionString)
        {
            Database = name,
            Username = role,
            Password = password,
        }.ConnectionString;
        return new TestDatabase(name, owner, role, authenticator);
    }

    /// <summary>Stops the server (fast shutdown), keeping its data and port, to test how clients survive an outage.</summary>
    /// <param name="cancellationToken">Cancels waiting for the stop.</param>
    /// <exception cref="NotSupportedException">The server is not a local cluster.</exception>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        var cluster = _cluster ?? throw new NotSupportedException("Only a server run from local binaries can be stopped and resumed.");
        await cluster.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts a server stopped by <see cref="StopAsync"/> again, on the same data and port.</summary>
    /// <param name="cancellationToken">Cancels waiting for the start.</param>
    /// <exception cref="NotSupportedException">The server is not a local cluster.</exception>
    public Task ResumeAsync(CancellationToken cancellationToken = default)
    {
        var cluster = _cluster ?? throw new NotSupportedException("Only a server run from local binaries can be stopped and resumed.");
        return cluster.StartAsync(cancellationToken);
    }

    /// <summary>
    /// Starts a streaming hot standby of this server (<c>pg_basebackup -R</c>) on another free loopback port. Databases
    /// and roles created later replicate to it too; dispose it before or with this server.
    /// </summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running standby.</returns>
    /// <exception cref="NotSupportedException">The server is not a local cluster.</exception>
    public async Task<PostgresStandby> StartStandbyAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var cluster = _cluster ?? throw new NotSupportedException(
            "Only a server run from local binaries can have a standby: start it with PostgresServer.StartLocalAsync.");
        var standby = await LocalCluster.CreateStandbyAndStartAsync(cluster, cancellationToken).ConfigureAwait(false);
        return new PostgresStandby(standby, ConnectionString);
    }

    /// <summary>Drops the databases and roles this server created, then stops and removes a throwaway server.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        GC.SuppressFinalize(this);
        try
        {
            if (Kind == PostgresServerKind.External)
            {
                await DropCreatedAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            await _admin.DisposeAsync().ConfigureAwait(false);
            _cluster?.Cleanup();
            if (_container is not null)
            {
                await _container.DisposeAsync().ConfigureAwait(false);
            }

            _createLock.Dispose();
        }
    }

    /// <summary>The server's log, for a local cluster; empty otherwise.</summary>
    /// <returns>The log text.</returns>
    public string ReadLog() => _cluster?.ReadLog() ?? "";

    private async Task DropCreatedAsync()
    {
        foreach (var (database, role) in _created)
        {
            try
            {
                await ExecuteAsync($"DROP DATABASE IF EXISTS {Quote(database)} WITH (FORCE)", CancellationToken.None).ConfigureAwait(false);
                await ExecuteAsync($"DROP ROLE IF EXISTS {Quote(role)}", CancellationToken.None).ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // Best effort: the server may be gone already.
            }
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        var command = _admin.CreateCommand(sql);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    // A wrong DATABASE_URL should say so before anything else is tried on it, and say what was tried.
    private static async Task<PostgresServer> ExternalAsync(string url, CancellationToken cancellationToken)
    {
        string connectionString;
        try
        {
            connectionString = PostgresConnectionString.ToNpgsql(url);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException(
                $"DATABASE_URL is not a PostgreSQL connection: {e.Message} Give a postgres://user:password@host:port/database URL or an Npgsql connection string, or unset DATABASE_URL to use a throwaway local server.",
                e);
        }

        var target = new NpgsqlConnectionStringBuilder(connectionString);
        try
        {
            var probe = new NpgsqlConnection(connectionString);
            await using (probe.ConfigureAwait(false))
            {
                await probe.OpenAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (NpgsqlException e)
        {
            throw new InvalidOperationException(
                $"DATABASE_URL could not be used: connecting to {target.Host}:{target.Port} as '{target.Username}' (database '{target.Database}') failed: {e.Message}. Check the host, port, user and password, or unset DATABASE_URL to use a throwaway local server.",
                e);
        }

        return new PostgresServer(PostgresServerKind.External, connectionString, null, null);
    }

    private static bool DockerMayAnswer() =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } || File.Exists("/var/run/docker.sock");

    // The server binaries where installed, else Debian's package (which also creates the OS user 'postgres').
    private static async Task<string> FindOrInstallBinariesAsync(CancellationToken cancellationToken)
    {
        const string package = "postgresql";
        var failure = await SystemPackages.TryInstallAsync(package, () => LocalCluster.FindBinaries() is not null, cancellationToken).ConfigureAwait(false);
        return LocalCluster.FindBinaries() ?? throw new InvalidOperationException(
            $"The PostgreSQL server binaries (initdb and pg_ctl under /usr/lib/postgresql/*/bin or on PATH) are not installed, and installing them failed: {failure}. "
            + $"Install them with: {SystemPackages.InstallCommand(package)}");
    }

    private static InvalidOperationException NoServer(Exception? inner) => new(
        "No PostgreSQL server is available. Provide one of: (1) DATABASE_URL, a server where this user may create databases and roles; "
        + "(2) the PostgreSQL server binaries (initdb and pg_ctl under /usr/lib/postgresql/*/bin or on PATH, e.g. apt-get install postgresql); "
        + "(3) a running Docker engine, for Testcontainers.",
        inner);
}
