using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RlsSchema.Testing;
using Xunit;

namespace RlsSchema.AspNetCore.Tests;

/// <summary>
/// The web sample as it runs for a person: its own throwaway PostgreSQL and development token issuer, served by Kestrel
/// on a loopback port, so that both HttpClient and a real browser can reach it.
/// </summary>
public sealed class TodosWebFixture : IAsyncLifetime
{
    private WebApplicationFactory<Program>? _factory;

    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("Not started.");

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The sample's development issuer: the same signing key the sample's tokens carry.</summary>
    public DevTokenIssuer Issuer => Factory.Services.GetRequiredService<DevTokenIssuer>();

    public IConfiguration Configuration => Factory.Services.GetRequiredService<IConfiguration>();

    public Task InitializeAsync()
    {
        _factory = new WebApplicationFactory<Program>();
        _factory.UseKestrel(0);
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    /// <summary>A client with no Authorization header, or with <c>Bearer {token}</c>.</summary>
    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>A token for <paramref name="name"/> from the sample's <c>/dev/token/{name}</c>.</summary>
    public async Task<string> TokenAsync(string name)
    {
        using var client = Client();
        using var response = await client.GetAsync($"/dev/token/{name}");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadAsStringAsync()).Trim();
    }

    /// <summary>Counts rows as the owner, beside the API: what is really in the table.</summary>
    public async Task<long> CountTodosAsync(string? task = null)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Configuration["RlsSchema:OwnerConnectionString"]).ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(task is null ? "SELECT count(*) FROM todos" : "SELECT count(*) FROM todos WHERE task = @task", connection);
        if (task is not null)
        {
            command.Parameters.AddWithValue("task", task);
        }

        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The options the sample's RlsSchema runs with, for a second application on the same database and issuer.</summary>
    public IReadOnlyDictionary<string, string?> RlsSchemaSettings() =>
        Configuration.GetSection("RlsSchema").AsEnumerable().Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value);
}

[CollectionDefinition(Name)]
public sealed class TodosWebCollection : ICollectionFixture<TodosWebFixture>
{
    public const string Name = "todos-web";
}
