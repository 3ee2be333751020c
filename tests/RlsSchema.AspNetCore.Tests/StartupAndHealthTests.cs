using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RlsSchema.Testing;
using Xunit;

namespace RlsSchema.AspNetCore.Tests;

/// <summary>The health check, the start-up migration and an issuer outage, each on a database or issuer of its own.</summary>
[Collection(TodosWebCollection.Name)]
public sealed class StartupAndHealthTests(TodosWebFixture web)
{
    private const string Script = "CREATE SCHEMA IF NOT EXISTS auth; CREATE OR REPLACE FUNCTION auth.user_id() RETURNS text LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub' $$;";

    [Fact]
    public async Task The_health_check_is_unhealthy_until_the_schema_is_applied_and_migrating_at_start_up_makes_it_healthy()
    {
        var database = await web.Factory.Services.GetRequiredService<PostgresServer>().CreateDatabaseAsync();

        await using (var unmigrated = await StartAsync(database, migrate: false))
        {
            using var response = await unmigrated.GetTestClient().GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("Unhealthy", await response.Content.ReadAsStringAsync());
        }

        await using (var migrated = await StartAsync(database, migrate: true))
        {
            using var response = await migrated.GetTestClient().GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task With_migrations_the_health_check_is_healthy_only_once_every_one_is_applied_read_without_the_owner()
    {
        var database = await web.Factory.Services.GetRequiredService<PostgresServer>().CreateDatabaseAsync();
        var first = Migration(1, "Initial", Script);
        var second = Migration(2, "AddNotes", "CREATE TABLE notes (id bigint PRIMARY KEY);");

        // The first migration applied at start-up; the second one exists in the application but not in the database.
        await using (var behind = await StartAsync(Settings(database), [first]))
        {
            using var migrated = await behind.GetTestClient().GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.OK, migrated.StatusCode);
        }

        await using (var checking = await StartWithHealthCheckAsync(Settings(database), [first, second]))
        {
            var report = await checking.Services.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>().CheckHealthAsync();
            Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, report.Status);
            Assert.Contains("0002_AddNotes", report.Entries["rlsschema"].Description);
            Assert.DoesNotContain("0001_Initial", report.Entries["rlsschema"].Description);
        }

        await using (var caughtUp = await StartAsync(Settings(database), [first, second]))
        {
            using var response = await caughtUp.GetTestClient().GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The session login reads the ids through the function and cannot read the history table itself.
        await using var connection = new global::Npgsql.NpgsqlConnection(database.AuthenticatorConnectionString);
        await connection.OpenAsync();
        await using (var ids = new global::Npgsql.NpgsqlCommand("SET ROLE anonymous; SELECT count(*) FROM rls_schema.applied_migration_ids();", connection))
        {
            Assert.Equal(2L, await ids.ExecuteScalarAsync());
        }

        await using var table = new global::Npgsql.NpgsqlCommand("SELECT count(*) FROM rls_schema.migrations;", connection);
        var refused = await Assert.ThrowsAsync<global::Npgsql.PostgresException>(() => table.ExecuteScalarAsync());
        Assert.Equal("42501", refused.SqlState);
    }

    [Fact]
    public async Task The_health_check_is_unhealthy_when_the_database_does_not_answer()
    {
        var database = await web.Factory.Services.GetRequiredService<PostgresServer>().CreateDatabaseAsync();
        var settings = Settings(database);
        settings["RlsSchema:AuthenticatedConnectionString"] = "Host=127.0.0.1;Port=1;Username=nobody;Timeout=2";
        await using var app = await StartAsync(settings, migrate: false);
        using var response = await app.GetTestClient().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task When_the_issuers_keys_cannot_be_fetched_a_token_is_503_not_401()
    {
        await using var issuer = await DevTokenIssuer.StartAsync("client_outage");
        var database = await web.Factory.Services.GetRequiredService<PostgresServer>().CreateDatabaseAsync();
        var settings = Settings(database);
        settings["RlsSchema:JwksUrl"] = issuer.JwksUri.ToString();
        settings["RlsSchema:Issuer"] = issuer.Issuer;
        settings["RlsSchema:Audience"] = issuer.Audience;
        await using var app = await StartAsync(settings, migrate: true);
        issuer.JwksAvailable = false;

        using var client = app.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issuer.IssueToken(DevTokenIssuer.NewUserId()));
        using var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task An_application_without_a_jwks_or_a_session_connection_refuses_to_start_and_says_what_to_set()
    {
        foreach (var (forget, expected) in new (Action<RlsSchemaOptions>, string)[]
        {
            (o => { o.JwksUrl = null; o.WorkOSClientId = null; }, "RLS_JWKS_URL"),
            (o => o.AuthenticatedConnectionString = null, "DATABASE_AUTHENTICATED_URL"),
        })
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
            builder.WebHost.UseTestServer();
            builder.Configuration.AddInMemoryCollection(web.RlsSchemaSettings());
            builder.Services.AddRlsSchema(forget);
            await using var app = builder.Build();
            var refused = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.StartAsync());
            Assert.Contains(expected, refused.Message);
        }
    }

    private Dictionary<string, string?> Settings(TestDatabase database)
    {
        var settings = web.RlsSchemaSettings().ToDictionary(p => p.Key, p => p.Value);
        settings["RlsSchema:OwnerConnectionString"] = database.OwnerConnectionString;
        settings["RlsSchema:AuthenticatedConnectionString"] = database.AuthenticatorConnectionString;
        return settings;
    }

    private Task<WebApplication> StartAsync(TestDatabase database, bool migrate) => StartAsync(Settings(database), migrate);

    private static RlsMigration Migration(long id, string name, string sql) => new(id, name, sql, RlsSchema.Npgsql.RlsMigrator.Checksum(sql));

    // Migrates at start-up with the migrations; the health check learns them from there.
    private static Task<WebApplication> StartAsync(IDictionary<string, string?> settings, IReadOnlyList<RlsMigration> migrations) =>
        StartAsync(settings, services =>
        {
            services.AddRlsSchemaStartupMigration(migrations);
            services.AddHealthChecks().AddRlsSchemaHealthCheck();
        });

    // Does not migrate; the health check is given the migrations it expects.
    private static Task<WebApplication> StartWithHealthCheckAsync(IDictionary<string, string?> settings, IReadOnlyList<RlsMigration> migrations) =>
        StartAsync(settings, services => services.AddHealthChecks().AddRlsSchemaHealthCheck(migrations));

    private static Task<WebApplication> StartAsync(IDictionary<string, string?> settings, bool migrate) =>
        StartAsync(settings, services =>
        {
            if (migrate)
            {
                services.AddRlsSchemaStartupMigration(Script);
            }

            services.AddHealthChecks().AddRlsSchemaHealthCheck();
        });

    private static async Task<WebApplication> StartAsync(IDictionary<string, string?> settings, Action<IServiceCollection> configure)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddRlsSchema();
        configure(builder.Services);
        var app = builder.Build();
        app.UseRlsSchema();
        app.MapHealthChecks("/healthz");
        await app.StartAsync();
        return app;
    }
}
