using System;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace RlsSchema.Npgsql;

/// <summary>
/// Opens service sessions: backend work (jobs, webhooks, seeding) that acts for no end user and is <b>not</b> filtered by
/// row-level security. Its connection must bypass row-level security: the tables' owner (tables with
/// <c>[ForceRowLevelSecurity]</c> need a role with <c>BYPASSRLS</c>). A separate object from <see cref="RlsDataSource"/>,
/// so that an application that never needs it holds no credentials that bypass the policies. Thread-safe.
/// </summary>
public sealed class RlsServiceDataSource : IAsyncDisposable
{
    /// <summary>The environment variable <see cref="FromEnvironment"/> reads.</summary>
    public const string EnvironmentVariable = "DATABASE_SERVICE_URL";

    private readonly SessionConnections _pool;
    private readonly SessionSettings _settings;

    /// <summary>Creates a service data source.</summary>
    /// <param name="connectionString">A connection whose role bypasses row-level security: a <c>postgres://</c> URL or an Npgsql connection string.</param>
    /// <exception cref="ArgumentException">The connection string is empty or malformed.</exception>
    public RlsServiceDataSource(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString.ToNpgsql(connectionString));
        _settings = new SessionSettings(builder.Username ?? "", EnvironmentVariable, SwitchesRole: false);
        _pool = SessionConnections.Over(NpgsqlDataSource.Create(builder.ConnectionString));
    }

    /// <summary>Creates a service data source from <c>DATABASE_SERVICE_URL</c>.</summary>
    /// <param name="getVariable">Reads one variable; <see cref="Environment.GetEnvironmentVariable(string)"/> when null.</param>
    /// <returns>The data source; dispose it.</returns>
    /// <exception cref="InvalidOperationException"><c>DATABASE_SERVICE_URL</c> is not set.</exception>
    /// <exception cref="ArgumentException"><c>DATABASE_SERVICE_URL</c> is malformed; the message says how.</exception>
    public static RlsServiceDataSource FromEnvironment(Func<string, string?>? getVariable = null)
    {
        var url = new EnvironmentVariables(getVariable).Read(EnvironmentVariable) ?? throw new InvalidOperationException(
            "Set DATABASE_SERVICE_URL to a connection whose role bypasses row-level security (the tables' owner, or a BYPASSRLS role) to open service sessions.");
        try
        {
            return new RlsServiceDataSource(url);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{EnvironmentVariable} is not a usable connection: {e.Message}", e);
        }
    }

    /// <summary>
    /// Opens a service session. Its statements see and change every row, whatever the policies say; use it only for
    /// work no end user asked for. Generated repositories accept it like any other session.
    /// </summary>
    /// <param name="cancellationToken">Unused; no connection is opened here.</param>
    /// <returns>The session; dispose it.</returns>
    public ValueTask<RlsSession> OpenServiceSessionAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(new RlsSession(_pool, _settings, null, null));
    }

    /// <summary>Closes the connection pool.</summary>
    public ValueTask DisposeAsync() => _pool.DisposeAsync();
}
