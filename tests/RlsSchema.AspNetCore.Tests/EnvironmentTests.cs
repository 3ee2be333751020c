using System.Net;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace RlsSchema.AspNetCore.Tests;

/// <summary>The web sample outside the Development environment: its own instance, so it runs alone in the collection.</summary>
[Collection(TodosWebCollection.Name)]
public sealed class EnvironmentTests
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
}
