using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RlsSchema.Npgsql;
using RlsSchema.Testing;
using Xunit;

namespace RlsSchema.AspNetCore.Tests;

/// <summary>
/// AddRlsSchema and UseRlsSchema in an application of their own, on the web sample's database and issuer, with
/// endpoints that show what the session is and that provoke the database's refusals.
/// </summary>
[Collection(TodosWebCollection.Name)]
public sealed class SessionPipelineTests(TodosWebFixture web) : IAsyncLifetime
{
    private WebApplication _app = null!;
    private int _endpointRuns;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(web.RlsSchemaSettings().ToDictionary(p => p.Key, p => p.Value));
        builder.Services.AddRlsSchema();
        _app = builder.Build();
        _app.UseRlsSchema();
        _app.MapGet("/session", async (RlsRequestSession session, HttpContext context, CancellationToken cancellationToken) =>
        {
            Interlocked.Increment(ref _endpointRuns);
            var row = await session.QuerySingleOrDefaultAsync<SessionRow>(
                "SELECT current_user AS \"Role\", current_setting('request.jwt.claims', true) AS \"Claims\", auth.user_id() AS \"UserId\"",
                null, cancellationToken);
            return new
            {
                row!.Role,
                row.Claims,
                row.UserId,
                session.IsAnonymous,
                Principal = context.User.Claims.Select(c => new[] { c.Type, c.Value }).ToArray(),
                context.User.Identity?.Name,
            };
        });
        _app.MapPost("/todos-for/{owner}", async (string owner, IRlsSession session, CancellationToken cancellationToken) =>
        {
            Interlocked.Increment(ref _endpointRuns);
            await session.ExecuteAsync("INSERT INTO todos (user_id, task) VALUES (@owner, 'written in another name')", new { owner }, cancellationToken);
            return Results.Ok();
        });
        _app.MapPost("/rolled-back/{task}", async (string task, IRlsSession session, CancellationToken cancellationToken) =>
        {
            const string count = "SELECT count(*) FROM todos WHERE task = @task";
            long inside;
            await using (var transaction = await session.BeginTransactionAsync(cancellationToken))
            {
                await session.ExecuteAsync("INSERT INTO todos (task) VALUES (@task)", new { task }, cancellationToken);
                inside = await session.QuerySingleOrDefaultAsync<long>(count, new { task }, cancellationToken);
                await transaction.RollbackAsync(cancellationToken);
            }

            return new { inside, after = await session.QuerySingleOrDefaultAsync<long>(count, new { task }, cancellationToken) };
        });
        await _app.StartAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private sealed record SessionRow(string Role, string? Claims, string? UserId);

    [Fact]
    public async Task A_transaction_on_the_request_session_sees_its_insert_and_keeps_nothing_after_rollback()
    {
        var task = "rolled back " + Guid.NewGuid().ToString("N");
        using var client = Client(web.Issuer.IssueToken(DevTokenIssuer.NewUserId()));
        using var response = await client.PostAsync("/rolled-back/" + task, null);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, body.GetProperty("inside").GetInt64());
        Assert.Equal(0, body.GetProperty("after").GetInt64());
        Assert.Equal(0, await web.CountTodosAsync(task));
    }

    [Fact]
    public async Task A_request_without_authorization_runs_as_the_anonymous_role_with_no_claims()
    {
        using var client = Client(null);
        var body = await client.GetFromJsonAsync<JsonElement>("/session");
        Assert.Equal("anonymous", body.GetProperty("role").GetString());
        Assert.True(string.IsNullOrEmpty(body.GetProperty("claims").GetString()));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("userId").ValueKind);
        Assert.True(body.GetProperty("isAnonymous").GetBoolean());
    }

    [Fact]
    public async Task The_sessions_claims_are_the_tokens_own_payload_and_the_principal_keeps_the_claim_names()
    {
        var user = DevTokenIssuer.NewUserId();
        var token = web.Issuer.IssueToken(user, new DevTokenOptions { Permissions = ["todos:read", "todos:write"], Role = "admin" });
        using var client = Client(token);
        var body = await client.GetFromJsonAsync<JsonElement>("/session");

        Assert.Equal("authenticated", body.GetProperty("role").GetString());
        Assert.Equal(user, body.GetProperty("userId").GetString());
        Assert.Equal(user, body.GetProperty("name").GetString());
        var payload = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[1]));
        Assert.Equal(JsonDocument.Parse(payload).RootElement.ToString(), JsonDocument.Parse(body.GetProperty("claims").GetString()!).RootElement.ToString());
        var principal = body.GetProperty("principal").EnumerateArray().Select(p => (p[0].GetString(), p[1].GetString())).ToList();
        Assert.Contains(("sub", user), principal);
        Assert.Contains(("permissions", "todos:read"), principal);
        Assert.Contains(("permissions", "todos:write"), principal);
        Assert.Contains(("role", "admin"), principal);
        Assert.DoesNotContain(principal, c => c.Item1!.StartsWith("http://", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_write_the_policy_refuses_is_403_problem_details_for_a_signed_in_user_and_changes_nothing()
    {
        var before = await web.CountTodosAsync("written in another name");
        using var client = Client(web.Issuer.IssueToken(DevTokenIssuer.NewUserId()));
        using var response = await client.PostAsync($"/todos-for/{DevTokenIssuer.NewUserId()}", null);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(403, problem.GetProperty("status").GetInt32());
        Assert.Equal(before, await web.CountTodosAsync("written in another name"));
    }

    [Fact]
    public async Task A_write_the_database_refuses_an_anonymous_request_is_401_asking_to_sign_in()
    {
        var before = await web.CountTodosAsync("written in another name");
        using var client = Client(null);
        using var response = await client.PostAsync($"/todos-for/{DevTokenIssuer.NewUserId()}", null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await web.CountTodosAsync("written in another name"));
    }

    [Fact]
    public async Task A_refused_token_is_401_before_the_endpoint_runs_even_where_anonymous_is_allowed()
    {
        var expired = web.Issuer.IssueToken(DevTokenIssuer.NewUserId(), new DevTokenOptions { IssuedAt = DateTimeOffset.UtcNow.AddHours(-1) });
        var runs = Volatile.Read(ref _endpointRuns);
        using var client = Client(expired);
        using var read = await client.GetAsync("/session");
        using var write = await client.PostAsync($"/todos-for/{DevTokenIssuer.NewUserId()}", null);

        Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode);
        Assert.Contains("invalid_token", read.Headers.WwwAuthenticate.ToString());
        var problem = await read.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("expired", problem.GetProperty("detail").GetString());
        Assert.Equal(runs, Volatile.Read(ref _endpointRuns));
    }

    [Fact]
    public async Task Two_authorization_headers_are_401_saying_so_before_the_endpoint_runs()
    {
        var token = web.Issuer.IssueToken(DevTokenIssuer.NewUserId());
        var runs = Volatile.Read(ref _endpointRuns);
        using var client = Client(null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/session");
        request.Headers.TryAddWithoutValidation("Authorization", ["Bearer " + token, "Bearer " + token]);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains("more than one Authorization header", detail);
        Assert.DoesNotContain("JWE", detail);
        Assert.DoesNotContain(token, await response.Content.ReadAsStringAsync());
        Assert.Equal(runs, Volatile.Read(ref _endpointRuns));
    }

    [Fact]
    public async Task Npgsql_activities_carry_the_sessions_user_id_and_role_and_never_the_token()
    {
        var user = DevTokenIssuer.NewUserId();
        var token = web.Issuer.IssueToken(user);
        var seen = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = seen.Add,
        };
        ActivitySource.AddActivityListener(listener);

        using var client = Client(token);
        using var response = await client.GetAsync("/session");
        response.EnsureSuccessStatusCode();

        var mine = seen.Where(a => Equals(a.GetTagItem(RlsSchemaDefaults.UserIdTag), user)).ToList();
        Assert.NotEmpty(mine);
        Assert.All(mine, a => Assert.Equal("authenticated", a.GetTagItem(RlsSchemaDefaults.RoleTag)));
        Assert.DoesNotContain(seen.SelectMany(a => a.TagObjects), tag => tag.Value is string s && s.Contains(token.Split('.')[2], StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_request_session_refuses_to_run_outside_the_middleware()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(web.RlsSchemaSettings().ToDictionary(p => p.Key, p => p.Value));
        builder.Services.AddRlsSchema();
        await using var app = builder.Build();
        string? error = null;
        app.MapGet("/", (IServiceProvider services) =>
        {
            error = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IRlsSession>()).Message;
            return Results.Ok();
        });
        await app.StartAsync();
        using var client = app.GetTestClient();
        (await client.GetAsync("/")).EnsureSuccessStatusCode();
        Assert.Contains("app.UseRlsSchema()", error);
    }

    private HttpClient Client(string? token)
    {
        var client = _app.GetTestClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }
}
