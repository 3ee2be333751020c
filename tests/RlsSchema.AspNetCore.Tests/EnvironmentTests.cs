using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace RlsSchema.AspNetCore.Tests;

/// <summary>The web sample outside the Development environment: its own instance, so it runs alone in the collection.</summary>
[Collection(TodosWebCollection.Name)]
public sealed class EnvironmentTests(TodosWebFixture web)
{
    [Fact]
    public async Task Outside_development_the_token_endpoint_does_not_exist_and_the_rest_still_works()
    {
        await using var factory = new WebApplicationFactory<Program>();
        await using var production = factory.WithWebHostBuilder(builder => builder.UseEnvironment("Production"));
        using var client = production.CreateClient();

        using var token = await client.GetAsync("/dev/token/alice");
        Assert.Equal(HttpStatusCode.NotFound, token.StatusCode);
        using var health = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var todos = await client.GetAsync("/api/todos");
        Assert.Equal(HttpStatusCode.Unauthorized, todos.StatusCode);
    }

    [Fact]
    public async Task A_server_error_in_development_answers_problem_details_without_the_request_headers_or_the_token()
    {
        // The sessions' connection points at a port nobody listens on: every session fails with an NpgsqlException.
        await using var factory = new WebApplicationFactory<Program>();
        await using var broken = factory.WithWebHostBuilder(builder => builder.ConfigureAppConfiguration(configuration =>
            configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["RlsSchema:AuthenticatedConnectionString"] = $"Host=127.0.0.1;Port={DeadPort()};Username=nobody;Password=secret-password;Timeout=2",
            })));
        using var client = broken.CreateClient();
        var token = (await client.GetStringAsync("/dev/token/alice")).Trim();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/todos");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("X-Marker", "header-value-marker");

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(token, body);
        Assert.DoesNotContain(token[..20], body);
        Assert.DoesNotContain("header-value-marker", body);
        Assert.DoesNotContain("secret-password", body);
        Assert.DoesNotContain("Npgsql", body);
    }

    [Fact]
    public async Task With_a_real_database_and_issuer_and_no_environment_set_the_sample_runs_as_production()
    {
        var settings = web.RlsSchemaSettings();
        var port = DeadPort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Todos.Web.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var name in new[] { "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["DATABASE_URL"] = settings["RlsSchema:OwnerConnectionString"];
        start.Environment["DATABASE_AUTHENTICATED_URL"] = settings["RlsSchema:AuthenticatedConnectionString"];
        start.Environment["RLS_JWKS_URL"] = settings["RlsSchema:JwksUrl"];
        start.Environment["RLS_JWT_ISSUER"] = settings["RlsSchema:Issuer"];
        start.Environment["RLS_JWT_AUDIENCE"] = settings["RlsSchema:Audience"];

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            HttpResponseMessage? health = null;
            for (var attempt = 0; attempt < 120 && health is null && !process.HasExited; attempt++)
            {
                try
                {
                    health = await client.GetAsync("/healthz");
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(250);
                }
            }

            Assert.True(health is not null, "The sample did not answer:\n" + output);
            Assert.Equal(HttpStatusCode.OK, health!.StatusCode);
            string log;
            lock (output)
            {
                log = output.ToString();
            }

            Assert.Contains("Hosting environment: Production", log);
            Assert.DoesNotContain("Hosting environment: Development", log);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static int DeadPort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
