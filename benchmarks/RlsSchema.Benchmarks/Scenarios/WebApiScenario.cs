using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using RlsSchema.Benchmarks.Harness;
using RlsSchema.Benchmarks.Model;
using RlsSchema.Tests.Seed;

namespace RlsSchema.Benchmarks.Scenarios;

/// <summary>
/// Scenario 7: <c>GET /api/todos</c> through the whole ASP.NET Core pipeline (Kestrel, JwtBearer with the runtime's
/// validator, routing, JSON), the RLS session against the same endpoint querying as the owner with
/// <c>WHERE user_id = @sub</c>. Everything but the query is the same for both: the same token, validated the same way.
/// </summary>
internal static class WebApiScenario
{
    public const int Number = 7;
    public const string Rls = "GET /api/todos: RLS session (AddRlsSchema, generated repository)";
    public const string Owner = "GET /owner/todos: owner connection, WHERE user_id = @sub";

    private const string OwnerSql =
        "SELECT id AS \"Id\", user_id AS \"UserId\", task AS \"Task\", is_complete AS \"IsComplete\", inserted_at AS \"InsertedAt\" FROM todos WHERE user_id = @sub ORDER BY id";

    public static async Task RunAsync(BenchEnvironment env, BenchOptions options, Report report, CancellationToken cancellationToken)
    {
        report.Title(Number, $"GET /api/todos through ASP.NET Core ({options.MeasuredUserTodos} of {options.TodoCount:N0} rows), {options.Clients} concurrent clients");
        Console.WriteLine($"  scenario {Number}: GET /api/todos through ASP.NET Core");

        await using var app = Build(env);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Clients, UseCookies = false })
        {
            BaseAddress = new Uri(address),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", env.MeasuredToken);

        var expected = options.MeasuredUserTodos;
        var variants = new List<ThroughputVariant>
        {
            await Variant.CheckedAsync(Owner, ct => GetAsync(client, "/owner/todos", ct), expected, cancellationToken),
            await Variant.CheckedAsync(Rls, ct => GetAsync(client, "/api/todos", ct), expected, cancellationToken),
        };
        var results = await ThroughputRunner.RunAsync(variants, options, new CpuProbe(env.Owner), cancellationToken);
        foreach (var r in results)
        {
            report.Add(new ResultRow(
                Number, r.Name, Unit.OpsPerSecond, r.OpsPerSecond, r.Name == Owner ? null : Owner,
                Notes.Throughput(r),
                Notes.ThroughputFigures(r, options)));
        }

        await app.StopAsync(cancellationToken);
    }

    private static WebApplication Build(BenchEnvironment env)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RlsSchema:AuthenticatedConnectionString"] = env.AuthenticatorConnectionString,
            ["RlsSchema:JwksUrl"] = env.Issuer.JwksUri.ToString(),
            ["RlsSchema:Issuer"] = env.Issuer.Issuer,
            ["RlsSchema:Audience"] = env.Issuer.Audience,
        });
        builder.Services.AddRlsSchema();
        builder.Services.AddRlsRepositories();

        var app = builder.Build();
        app.UseRlsSchema();
        app.MapGet("/api/todos", (TodoRepository todos, CancellationToken cancellationToken) => todos.ListAsync(cancellationToken))
            .RequireAuthorization();
        // What an application without RLS does: the owner's pool, and the user id taken from the validated token.
        app.MapGet("/owner/todos", async (ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            await using var connection = await env.Owner.OpenConnectionAsync(cancellationToken);
            var sub = user.FindFirstValue("sub");
            return (await connection.QueryAsync<Todo>(new CommandDefinition(OwnerSql, new { sub }, cancellationToken: cancellationToken))).AsList();
        }).RequireAuthorization();
        return app;
    }

    private static async Task<int> GetAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}.");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        return json.RootElement.GetArrayLength();
    }
}
