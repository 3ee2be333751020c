using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Testing;

namespace RlsSchema.Security.Tests.Pooler;

/// <summary>What one of PgBouncer's server connections holds between transactions: its user, role and claims settings.</summary>
public sealed record ServerConnectionState(int Pid, string CurrentUser, string Role, string? Claims, string? ClaimSub)
{
    /// <summary>
    /// Opens as many transactions at once through the pooler as it has server connections, so that each holds a
    /// different one, and reads in each what the previous transactions left: another connection cannot read a backend's
    /// settings, so this is the only way to look at all of them.
    /// </summary>
    public static async Task<IReadOnlyList<ServerConnectionState>> ReadAllAsync(PgBouncer bouncer, string connectionString)
    {
        string direct = new NpgsqlConnectionStringBuilder(bouncer.Rewrite(connectionString)) { Pooling = false, MaxAutoPrepare = 0, Timeout = 30 }.ConnectionString;
        var held = new List<(NpgsqlConnection Connection, NpgsqlTransaction Transaction)>();
        var states = new List<ServerConnectionState>();
        try
        {
            for (int i = 0; i < bouncer.ServerConnections; i++)
            {
                var connection = new NpgsqlConnection(direct);
                await connection.OpenAsync();
                NpgsqlTransaction transaction = await connection.BeginTransactionAsync();
                held.Add((connection, transaction));
                await using var read = new NpgsqlCommand(
                    "SELECT pg_backend_pid(), current_user::text, current_setting('role'), " +
                    "nullif(current_setting('request.jwt.claims', true), ''), nullif(current_setting('request.jwt.claim.sub', true), '')",
                    connection, transaction);
                await using NpgsqlDataReader reader = await read.ExecuteReaderAsync();
                await reader.ReadAsync();
                states.Add(new ServerConnectionState(
                    reader.GetInt32(0), reader.GetString(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
            }
        }
        finally
        {
            foreach ((NpgsqlConnection connection, NpgsqlTransaction transaction) in held)
            {
                await transaction.DisposeAsync();
                await connection.DisposeAsync();
            }
        }

        return states;
    }

    /// <summary>True when the connection is back to the login role with no role switched to and no claims.</summary>
    public bool IsCleanFor(string loginRole) => CurrentUser == loginRole && Role == "none" && Claims is null && ClaimSub is null;

    /// <summary>The states that are not clean, described.</summary>
    public static IEnumerable<string> Dirty(IEnumerable<ServerConnectionState> states, string loginRole) =>
        states.Where(s => !s.IsCleanFor(loginRole)).Select(s => s.ToString());
}
