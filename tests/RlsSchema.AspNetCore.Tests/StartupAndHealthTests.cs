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

    private static async Task<WebApplication> StartAsync(IDictionary<string, string?> settings, bool migrate)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddRlsSchema();
        if (migrate)
        {
            builder.Services.AddRlsSchemaStartupMigration(Script);
        }

        builder.Services.AddHealthChecks().AddRlsSchemaHealthCheck();
        var app = builder.Build();
        app.UseRlsSchema();
        app.MapHealthChecks("/healthz");
        await app.StartAsync();
        return app;
    }
}
