using System.Linq;
using System.Threading.Tasks;
using Dapper;
using Npgsql;
using RlsSchema.Generator.Tests.Infrastructure;
using RlsSchema.Npgsql;
using RlsSchema.Testing;
using RlsSchema.Tests.Generation;
using Xunit;

namespace RlsSchema.Generator.Tests;

/// <summary>
/// A typed policy calling application SQL functions, run on a real PostgreSQL: the functions come first (as an
/// application migration would make them), then the generated script, then rows read as a signed-in user.
/// </summary>
public sealed class SqlFunctionPolicyTests : IAsyncLifetime
{
    private const string Source = """
        using System;
        using System.ComponentModel.DataAnnotations.Schema;
        using RlsSchema;

        namespace Docs;

        public static class Flags
        {
            [SqlFunction("app.feature_enabled")]
            public static bool FeatureEnabled(string feature) => throw new NotSupportedException();

            [SqlFunction("app.region_of")]
            public static string? RegionOf(string userId) => throw new NotSupportedException();
        }

        [Table("docs")]
        public class Doc
        {
            public long Id { get; set; }
            public bool Public { get; set; }
            public string Region { get; set; } = "";

            [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
            static bool Read(Doc d) => (Flags.FeatureEnabled("docs") || d.Public) && d.Region == Flags.RegionOf(Auth.UserId);
        }
        """;

    private const string ApplicationSql = """
        CREATE SCHEMA app;
        CREATE TABLE app.flags (name text PRIMARY KEY, enabled boolean NOT NULL);
        CREATE TABLE app.regions (user_id text PRIMARY KEY, region text NOT NULL);
        CREATE FUNCTION app.feature_enabled(feature text) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
            AS $$ SELECT coalesce((SELECT enabled FROM app.flags WHERE name = feature), false) $$;
        CREATE FUNCTION app.region_of(user_id text) RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
            AS $$ SELECT region FROM app.regions r WHERE r.user_id = region_of.user_id $$;
        INSERT INTO app.regions VALUES ('u1', 'eu');
        """;

    private PostgresServer? _server;
    private TestDatabase? _database;

    [Fact]
    public async Task A_feature_flag_read_through_an_application_function_opens_the_private_rows_of_the_users_region()
    {
        await using var connection = new NpgsqlConnection(_database!.OwnerConnectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync("INSERT INTO docs (id, public, region) VALUES (1, true, 'eu'), (2, false, 'eu'), (3, false, 'us'), (4, true, 'us')");

        long[] flagOff = await SignedInQuery.IdsAsync(connection, "u1", "SELECT id FROM docs ORDER BY id");
        await connection.ExecuteAsync("INSERT INTO app.flags VALUES ('docs', true)");
        long[] flagOn = await SignedInQuery.IdsAsync(connection, "u1", "SELECT id FROM docs ORDER BY id");
        long[] noRegion = await SignedInQuery.IdsAsync(connection, "u2", "SELECT id FROM docs ORDER BY id");

        Assert.Equal([1L], flagOff);
        Assert.Equal([1L, 2L], flagOn);
        Assert.Empty(noRegion);
    }

    [Fact]
    public async Task Calls_with_constant_or_Auth_arguments_are_initplans_evaluated_once_per_statement()
    {
        await using var connection = new NpgsqlConnection(_database!.OwnerConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("SET LOCAL ROLE authenticated; SELECT set_config('request.jwt.claims', '{\"sub\":\"u1\"}', true)", transaction: transaction);

        string plan = string.Join("\n", await connection.QueryAsync<string>("EXPLAIN SELECT id FROM docs", transaction: transaction));

        // One each: app.feature_enabled('docs'), auth.user_id() and app.region_of(...) of it.
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(plan, "InitPlan").Count);
        Assert.DoesNotContain("SubPlan", plan);
    }

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartAsync();
        _database = await _server.CreateDatabaseAsync();
        GenerationResult generated = GeneratorHarness.Run(Source);
        Assert.DoesNotContain(generated.GeneratorDiagnostics, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        await using var connection = new NpgsqlConnection(_database.OwnerConnectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync(ApplicationSql);
        await connection.ExecuteAsync(generated.Sql!);
        await connection.ExecuteAsync("GRANT USAGE ON SCHEMA app TO authenticated");
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
