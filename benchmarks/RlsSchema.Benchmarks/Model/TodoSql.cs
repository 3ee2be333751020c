using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Tests.Seed;

namespace RlsSchema.Benchmarks.Model;

/// <summary>The hand-written SQL the comparison variants run, and the one row reader they share.</summary>
internal static class TodoSql
{
    public const string Columns = "id, user_id, task, is_complete, inserted_at";

    /// <summary>The floor: the owner filters by the user id it was given; no RLS applies to the owner.</summary>
    public const string ListByUser = "SELECT " + Columns + " FROM todos WHERE user_id = $1";

    /// <summary>What the generated ListMineAsync asks for (an initplan beside the policy's), written by hand for the naive session.</summary>
    public const string ListMine = "SELECT " + Columns + " FROM todos WHERE user_id = (select auth.user_id())";

    /// <summary>The generated ListMineAsync's query with the session's subject as a parameter: measured, not kept.</summary>
    public const string RepositoryListMineParameter =
        "SELECT " + TodoRepository.Columns + " FROM \"todos\" WHERE \"user_id\" = @UserId ORDER BY \"id\"";

    /// <summary>
    /// The generated InsertAsync's statement, the owner left to its <c>auth.user_id()</c> default when the parameter is null;
    /// sent with the session's subject instead, it measures the alternative that was not kept.
    /// </summary>
    public const string RepositoryInsert =
        "INSERT INTO \"todos\" (\"user_id\", \"task\", \"is_complete\", \"inserted_at\") VALUES (COALESCE(CAST(@UserId AS text), (auth.user_id())), @Task, @IsComplete, COALESCE(CAST(@InsertedAt AS timestamptz), (now()))) RETURNING "
        + TodoRepository.Columns;

    /// <summary>Every row the policies let the session see (the policy alone filters).</summary>
    public const string ListVisible = "SELECT " + Columns + " FROM todos";

    public const string InsertAsOwner =
        "INSERT INTO todos (user_id, task) VALUES ($1, $2) RETURNING " + Columns;

    public static async Task<List<Todo>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var todos = new List<Todo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            todos.Add(Read(reader));
        }
        return todos;
    }

    public static Todo Read(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        UserId = reader.GetString(1),
        Task = reader.GetString(2),
        IsComplete = reader.GetBoolean(3),
        InsertedAt = reader.GetFieldValue<System.DateTimeOffset>(4),
    };
}
