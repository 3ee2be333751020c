using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;
using RlsSchema.Benchmarks.Data;
using RlsSchema.Benchmarks.Harness;
using RlsSchema.Benchmarks.Model;
using RlsSchema.Npgsql;
using RlsSchema.Tests.Seed;

namespace RlsSchema.Benchmarks.Scenarios;

/// <summary>Scenario 1: list my todos, closed-loop throughput with concurrent clients.</summary>
internal static class ListMyTodosScenario
{
    public const int Number = 1;
    public const string Floor = "floor: raw Npgsql as owner, prepared, WHERE user_id = $1, no RLS";
    public const string Repository = "generated repository, RLS session per request (token checked, remembered)";
    public const string RepositoryReused = "generated repository, one RLS session per client (token validated once)";
    public const string RepositoryFullCheck = "generated repository, RLS session per request, signature verified every time";
    public const string Batched = "reference: hand-written RLS batch, one round trip, auto-prepared (NpgsqlBatch)";
    public const string TokenValidation = "JWT validation alone (RS256, no database)";
    public const string Naive = "naive RLS session: BEGIN; set_config x2; query; COMMIT";
    public const string Ef = "EF Core as owner, global query filter on user id";

    // Each lever of the repository alone: the "before" of passing the subject to ListMine, and the settings without the payload.
    public const string RepositoryListMineParameter = "generated repository, RLS session per request, ListMine with the subject as a parameter (tried, not kept)";
    public const string RepositorySubjectOnly = "generated repository, RLS session per request, sub only (UseClaimsRead)";
    public const string BatchedSubjectOnly = "reference: hand-written RLS batch, one round trip, auto-prepared, sub only";

    public static async Task RunAsync(BenchEnvironment env, BenchOptions options, Report report, CancellationToken cancellationToken)
    {
        report.Title(Number, $"list my todos ({options.MeasuredUserTodos} of {options.TodoCount:N0} rows), {options.Clients} concurrent clients");
        Console.WriteLine($"  scenario {Number}: list my todos");

        await using var efSource = NpgsqlDataSource.Create(env.OwnerConnectionString);
        var efFactory = new PooledDbContextFactory<EfTodoContext>(
            new DbContextOptionsBuilder<EfTodoContext>().UseNpgsql(efSource).Options);

        // The same product with the validated-token cache off: every request verifies the RS256 signature again.
        await using var fullCheckRls = env.Database.CreateDataSource(env.Issuer.ValidationOptions with { ValidatedTokenCacheDuration = TimeSpan.Zero });

        var reused = new RlsSession[options.Clients];
        for (var c = 0; c < reused.Length; c++)
        {
            reused[c] = await env.Rls.OpenSessionAsync(env.MeasuredToken, cancellationToken);
        }

        var expected = options.MeasuredUserTodos;
        var variants = new List<ThroughputVariant>
        {
            await Variant.CheckedAsync(Floor, ct => FloorAsync(env.Owner, ct), expected, cancellationToken),
            await Variant.CheckedAsync(Repository, ct => RepositoryAsync(env.Rls, env.MeasuredToken, ct), expected, cancellationToken),
            await Variant.CheckedPerClientAsync(RepositoryReused, async (client, ct) => (await new TodoRepository(reused[client]).ListMineAsync(ct)).Count, expected, cancellationToken),
            await Variant.CheckedAsync(RepositoryFullCheck, ct => RepositoryAsync(fullCheckRls, env.MeasuredToken, ct), expected, cancellationToken),
            await Variant.CheckedAsync(RepositoryListMineParameter, ct => RepositoryListMineParameterAsync(env.Rls, env.MeasuredToken, ct), expected, cancellationToken),
            await Variant.CheckedAsync(RepositorySubjectOnly, ct => RepositoryAsync(env.RlsSubjectOnly, env.MeasuredToken, ct), expected, cancellationToken),
            await Variant.CheckedAsync(Batched, ct => BatchedAsync(env.Authenticator, env.MeasuredClaimsJson, ct), expected, cancellationToken),
            await Variant.CheckedAsync(BatchedSubjectOnly, ct => BatchedAsync(env.Authenticator, null, ct), expected, cancellationToken),
            await Variant.CheckedAsync(Naive, ct => NaiveAsync(env.Authenticator, env.MeasuredClaimsJson, ct), expected, cancellationToken),
            await Variant.CheckedAsync(Ef, ct => EfAsync(efFactory, ct), expected, cancellationToken),
        };

        List<ThroughputResult> results;
        try
        {
            results = new List<ThroughputResult>(await ThroughputRunner.RunAsync(variants, options, new CpuProbe(env.Owner), cancellationToken));
        }
        finally
        {
            foreach (var session in reused)
            {
                await session.DisposeAsync();
            }
        }

        // What validating a token costs by itself, under the same concurrency: part of every request in the
        // repository variant, and of every real request to the other variants' applications too.
        using var validator = new JwtValidator(env.Issuer.ValidationOptions with { ValidatedTokenCacheDuration = TimeSpan.Zero });
        var validation = await ThroughputRunner.RunAsync(
            new[] { new ThroughputVariant(TokenValidation, async (_, ct) => await validator.ValidateAsync(env.MeasuredToken, ct)) },
            options, new CpuProbe(env.Owner), cancellationToken, rounds: 1);
        results.AddRange(validation);

        foreach (var r in results)
        {
            report.Add(new ResultRow(
                Number, r.Name, Unit.OpsPerSecond, r.OpsPerSecond, r.Name == Floor ? null : Floor,
                Notes.Throughput(r),
                Notes.ThroughputFigures(r, options)));
        }
    }

    /// <summary>What a request handler does: open a session from the bearer token, list, dispose.</summary>
    public static async Task<int> RepositoryAsync(RlsDataSource rls, string token, CancellationToken cancellationToken)
    {
        await using var session = await rls.OpenSessionAsync(token, cancellationToken);
        return (await new TodoRepository(session).ListMineAsync(cancellationToken)).Count;
    }

    /// <summary>The same request with ListMine's filter as the session's subject in a parameter: measured, not kept.</summary>
    public static async Task<int> RepositoryListMineParameterAsync(RlsDataSource rls, string token, CancellationToken cancellationToken)
    {
        await using var session = await rls.OpenSessionAsync(token, cancellationToken);
        return (await session.QueryAsync<Todo>(TodoSql.RepositoryListMineParameter, new { session.UserId }, cancellationToken)).Count;
    }

    public static async Task<int> FloorAsync(NpgsqlDataSource owner, CancellationToken cancellationToken)
    {
        await using var connection = await owner.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(TodoSql.ListByUser, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = BenchUsers.Measured });
        return (await TodoSql.ReadAllAsync(command, cancellationToken)).Count;
    }

    /// <summary>What a hand-rolled RLS session commonly looks like: every step its own statement and round trip.</summary>
    public static async Task<int> NaiveAsync(NpgsqlDataSource authenticator, string claimsJson, CancellationToken cancellationToken)
    {
        await using var connection = await authenticator.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, "BEGIN", null, cancellationToken);
        await ExecuteAsync(connection, "SELECT set_config('role', 'authenticated', true)", null, cancellationToken);
        await ExecuteAsync(connection, "SELECT set_config('request.jwt.claims', $1, true)", claimsJson, cancellationToken);
        int count;
        await using (var query = new NpgsqlCommand(TodoSql.ListMine, connection))
        {
            count = (await TodoSql.ReadAllAsync(query, cancellationToken)).Count;
        }
        await ExecuteAsync(connection, "COMMIT", null, cancellationToken);
        return count;
    }

    /// <summary>
    /// The least an RLS session can cost: role and claims set in the same round trip as the query, both statements
    /// prepared, rows read by ordinal, the query the generated ListMine sends (the floor's predicate, the subject as a
    /// parameter, under the policy). What separates the generated repository from this is the runtime's own work per
    /// statement; what separates this from the floor is row-level security itself. With <paramref name="claimsJson"/>
    /// null it sets the subject alone, as a data source told <c>UseClaimsRead</c> does.
    /// </summary>
    /// <remarks>
    /// The statements are not prepared ahead with <c>PrepareAsync</c>: that parses the query before the role is
    /// switched, as the authenticator, which may not even see the <c>auth</c> schema. Npgsql's automatic preparation
    /// (<see cref="BenchEnvironment.AutoPrepared"/>) prepares them inside the pipeline, after the role switch.
    /// </remarks>
    public static async Task<int> BatchedAsync(NpgsqlDataSource autoPreparing, string? claimsJson, CancellationToken cancellationToken)
    {
        await using var connection = await autoPreparing.OpenConnectionAsync(cancellationToken);
        var settings = claimsJson is null
            ? new NpgsqlBatchCommand("SELECT set_config('role', $1, true), set_config('request.jwt.claim.sub', $2, true)")
            {
                Parameters =
                {
                    new NpgsqlParameter<string> { TypedValue = "authenticated" },
                    new NpgsqlParameter<string> { TypedValue = BenchUsers.Measured },
                },
            }
            : new NpgsqlBatchCommand("SELECT set_config('role', $1, true), set_config('request.jwt.claims', $2, true), set_config('request.jwt.claim.sub', $3, true)")
            {
                Parameters =
                {
                    new NpgsqlParameter<string> { TypedValue = "authenticated" },
                    new NpgsqlParameter<string> { TypedValue = claimsJson },
                    new NpgsqlParameter<string> { TypedValue = BenchUsers.Measured },
                },
            };
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                settings,
                new NpgsqlBatchCommand(TodoSql.ListByUser) { Parameters = { new NpgsqlParameter<string> { TypedValue = BenchUsers.Measured } } },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var count = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            TodoSql.Read(reader);
            count++;
        }
        return count;
    }

    public static async Task<int> EfAsync(PooledDbContextFactory<EfTodoContext> factory, CancellationToken cancellationToken)
    {
        await using var context = factory.CreateDbContext();
        context.CurrentUserId = BenchUsers.Measured;
        var todos = await context.Todos.AsNoTracking().ToListAsync(cancellationToken);
        return todos.Count;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, string? parameter, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (parameter is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = parameter });
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
