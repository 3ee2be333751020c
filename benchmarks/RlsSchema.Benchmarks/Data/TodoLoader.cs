using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using NpgsqlTypes;

namespace RlsSchema.Benchmarks.Data;

/// <summary>
/// Fills <c>todos</c> through binary COPY as the owner. The measured user's rows are spread evenly through the
/// table, and every other user's rows interleave round-robin, so no user's rows sit together on disk: listing
/// one user's todos touches as many heap pages as it would in a table filled over time.
/// </summary>
internal static class TodoLoader
{
    public static async Task<TimeSpan> LoadAsync(
        NpgsqlDataSource owner, int todoCount, int userCount, int measuredUserTodos, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var otherUsers = userCount - 1;
        var measuredEvery = todoCount / measuredUserTodos;
        var origin = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var userIds = new string[userCount];
        for (var u = 0; u < userCount; u++)
        {
            userIds[u] = BenchUsers.Id(u);
        }

        await using (var connection = await owner.OpenConnectionAsync(cancellationToken))
        {
            await using var import = await connection.BeginBinaryImportAsync(
                "COPY todos (user_id, task, is_complete, inserted_at) FROM STDIN (FORMAT BINARY)", cancellationToken);
            var other = 0;
            for (var i = 0; i < todoCount; i++)
            {
                string user;
                if (i % measuredEvery == measuredEvery / 2)
                {
                    user = userIds[0];
                }
                else
                {
                    user = userIds[1 + other];
                    other = (other + 1) % otherUsers;
                }
                await import.StartRowAsync(cancellationToken);
                await import.WriteAsync(user, NpgsqlDbType.Text, cancellationToken);
                await import.WriteAsync("todo number " + i, NpgsqlDbType.Text, cancellationToken);
                await import.WriteAsync(i % 3 == 0, NpgsqlDbType.Boolean, cancellationToken);
                await import.WriteAsync(origin.AddSeconds(i), NpgsqlDbType.TimestampTz, cancellationToken);
            }
            await import.CompleteAsync(cancellationToken);
        }

        // Fresh statistics and a visibility map, as a table that autovacuum has caught up with would have.
        await using (var vacuum = owner.CreateCommand("VACUUM (ANALYZE) todos"))
        {
            vacuum.CommandTimeout = 0;
            await vacuum.ExecuteNonQueryAsync(cancellationToken);
        }
        return watch.Elapsed;
    }
}
