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
using RlsSchema.Npgsql;
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

    [Fact]
    public async Task A_malformed_session_connection_or_a_jwks_url_that_is_not_http_refuses_to_start_saying_why_without_the_secret()
    {
        foreach (var (key, value, expected) in new[]
        {
            ("RlsSchema:AuthenticatedConnectionString", "postgres://app:conn-secret@db.example:notaport/app", "DATABASE_AUTHENTICATED_URL"),
            ("RlsSchema:AuthenticatedConnectionString", "Host=db.example;Password=conn-secret;Bogus Keyword=1", "DATABASE_AUTHENTICATED_URL"),
            ("RlsSchema:JwksUrl", "ftp://issuer:jwks-secret@issuer.example/jwks", "'ftp://issuer:***@issuer.example/jwks'"),
            ("RlsSchema:JwksUrl", "not a url", "RLS_JWKS_URL"),
        })
        {
            var settings = web.RlsSchemaSettings().ToDictionary(p => p.Key, p => p.Value);
            settings[key] = value;
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
            builder.WebHost.UseTestServer();
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddRlsSchema();
            await using var app = builder.Build();

            var refused = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.StartAsync());

            Assert.Contains(expected, refused.Message);
            Assert.DoesNotContain("secret", refused.Message);
        }
    }

    [Fact]
    public async Task Role_names_the_application_configures_are_used_by_sessions_the_start_up_migration_and_the_health_check()
    {
        var server = web.Factory.Services.GetRequiredService<PostgresServer>();
        var database = await server.CreateDatabaseAsync();
        await using (var admin = new global::Npgsql.NpgsqlConnection(server.ConnectionString))
        {
            await admin.OpenAsync();
            await using var roles = new global::Npgsql.NpgsqlCommand($"""
                DO $roles$
                BEGIN
                  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app_members') THEN CREATE ROLE app_members NOLOGIN; END IF;
                  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app_visitors') THEN CREATE ROLE app_visitors NOLOGIN; END IF;
                END
                $roles$;
                GRANT app_members, app_visitors TO "{database.AuthenticatorRole}";
                """, admin);
            await roles.ExecuteNonQueryAsync();
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(Settings(database));
        builder.Services.AddRlsSchema(dataSource =>
        {
            dataSource.AuthenticatedRole = "app_members";
            dataSource.AnonymousRole = "app_visitors";
        });
        builder.Services.AddRlsSchemaStartupMigration([Migration(1, "Initial", Script)]);
        builder.Services.AddHealthChecks().AddRlsSchemaHealthCheck();
        await using var app = builder.Build();
        app.UseRlsSchema();
        app.MapHealthChecks("/healthz");
        app.MapGet("/role", async (IRlsSession session) => await session.QuerySingleOrDefaultAsync<string>("SELECT current_user::text", null, default));
        await app.StartAsync();
        using var client = app.GetTestClient();

        // The migrator let the configured anonymous role read the applied ids: the health check runs as that role.
        using var health = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("app_visitors", await client.GetStringAsync("/role"));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", web.Issuer.IssueToken(DevTokenIssuer.NewUserId()));
        Assert.Equal("app_members", await client.GetStringAsync("/role"));
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
