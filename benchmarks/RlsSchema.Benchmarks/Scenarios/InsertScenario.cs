using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Benchmarks.Data;
using RlsSchema.Benchmarks.Harness;
using RlsSchema.Benchmarks.Model;
using RlsSchema.Npgsql;
using RlsSchema.Tests.Seed;

namespace RlsSchema.Benchmarks.Scenarios;

/// <summary>Scenario 3: insert throughput, one todo per operation, the row read back with RETURNING in both variants.</summary>
internal static class InsertScenario
{
    public const int Number = 3;
    public const string Raw = "raw owner INSERT ... RETURNING, prepared, no RLS";
    public const string Repository = "generated repository InsertAsync, RLS session per request (token validated)";

    // Each lever alone: the owner sent from the session's subject (measured, not kept), and the settings without the payload.
    public const string RepositorySessionOwner = "generated repository InsertAsync, owner sent from the session's subject (tried, not kept)";
    public const string RepositorySubjectOnly = "generated repository InsertAsync, sub only (UseClaimsRead)";
    public const string Batched = "reference: hand-written RLS insert batch, one round trip, auto-prepared, owner as a parameter";

    public static async Task RunAsync(BenchEnvironment env, BenchOptions options, Report report, CancellationToken cancellationToken)
    {
        report.Title(Number, $"insert one todo, {options.Clients} concurrent clients");
        Console.WriteLine($"  scenario {Number}: inserts");

        var variants = new List<ThroughputVariant>
        {
            await Variant.CheckedAsync(Raw, ct => RawAsync(env.Owner, ct), 1, cancellationToken),
            await Variant.CheckedAsync(Repository, ct => RepositoryAsync(env.Rls, env.WriterToken, ct), 1, cancellationToken),
            await Variant.CheckedAsync(RepositorySessionOwner, ct => SessionOwnerAsync(env.Rls, env.WriterToken, ct), 1, cancellationToken),
            await Variant.CheckedAsync(RepositorySubjectOnly, ct => RepositoryAsync(env.RlsSubjectOnly, env.WriterToken, ct), 1, cancellationToken),
            await Variant.CheckedAsync(Batched, ct => BatchedAsync(env.Authenticator, env.WriterClaimsJson, ct), 1, cancellationToken),
        };

        var results = await ThroughputRunner.RunAsync(variants, options, new CpuProbe(env.Owner), cancellationToken);
        foreach (var r in results)
        {
            report.Add(new ResultRow(
                Number, r.Name, Unit.OpsPerSecond, r.OpsPerSecond, r.Name == Raw ? null : Raw,
                Notes.Throughput(r),
                Notes.ThroughputFigures(r, options)));
        }
    }

    /// <summary>A request that adds a todo, the owner left out: the server's default, auth.user_id(), fills it.</summary>
    public static async Task<int> RepositoryAsync(RlsDataSource rls, string token, CancellationToken cancellationToken)
    {
        await using var session = await rls.OpenSessionAsync(token, cancellationToken);
        var added = await new TodoRepository(session).InsertAsync(new Todo { Task = "write the benchmark report" }, cancellationToken);
        return added.Id > 0 && added.UserId == BenchUsers.Writer ? 1 : 0;
    }

    /// <summary>The repository's statement with the owner sent from the session's subject, so no default runs: measured, not kept.</summary>
    public static async Task<int> SessionOwnerAsync(RlsDataSource rls, string token, CancellationToken cancellationToken)
    {
        await using var session = await rls.OpenSessionAsync(token, cancellationToken);
        var added = await session.QuerySingleOrDefaultAsync<Todo>(
            TodoSql.RepositoryInsert,
            new { session.UserId, Task = "write the benchmark report", IsComplete = false, InsertedAt = (DateTimeOffset?)null },
            cancellationToken);
        return added is { Id: > 0 } && added.UserId == BenchUsers.Writer ? 1 : 0;
    }

    /// <summary>
    /// The least an insert under RLS can cost: role, claims and subject set in the same round trip as the raw insert, the
    /// owner sent as a parameter, both statements auto-prepared, the row read by ordinal; the policy's <c>WITH CHECK</c>
    /// decides. What separates it from the raw insert is row-level security itself.
    /// </summary>
    public static async Task<int> BatchedAsync(NpgsqlDataSource autoPreparing, string claimsJson, CancellationToken cancellationToken)
    {
        await using var connection = await autoPreparing.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT set_config('role', $1, true), set_config('request.jwt.claims', $2, true), set_config('request.jwt.claim.sub', $3, true)")
                {
                    Parameters =
                    {
                        new NpgsqlParameter<string> { TypedValue = "authenticated" },
                        new NpgsqlParameter<string> { TypedValue = claimsJson },
                        new NpgsqlParameter<string> { TypedValue = BenchUsers.Writer },
                    },
                },
                new NpgsqlBatchCommand(TodoSql.InsertAsOwner)
                {
                    Parameters =
                    {
                        new NpgsqlParameter<string> { TypedValue = BenchUsers.Writer },
                        new NpgsqlParameter<string> { TypedValue = "write the benchmark report" },
                    },
                },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var count = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            count += TodoSql.Read(reader).UserId == BenchUsers.Writer ? 1 : 0;
        }
        return count;
    }

    public static async Task<int> RawAsync(NpgsqlDataSource owner, CancellationToken cancellationToken)
    {
        await using var connection = await owner.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(TodoSql.InsertAsOwner, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = BenchUsers.Writer });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "write the benchmark report" });
        return (await TodoSql.ReadAllAsync(command, cancellationToken)).Count;
    }
}
