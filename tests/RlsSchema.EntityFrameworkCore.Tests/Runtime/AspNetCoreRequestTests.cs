using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RlsSchema.Testing;
using RlsSchema.Tests.Seed;
using Xunit;

namespace RlsSchema.EntityFrameworkCore.Tests.Runtime;

/// <summary>
/// A DbContext registered with UseRlsSchema() in an ASP.NET Core application runs each request as that request's
/// session, with no code in the endpoints, whether registered with AddDbContext or pooled.
/// </summary>
[Collection(EfDatabaseCollection.Name)]
public sealed class AspNetCoreRequestTests(EfDatabase db)
{
    private async Task<WebApplication> StartAsync(bool pooled)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Services.AddRlsSchema(options =>
        {
            options.AuthenticatedConnectionString = db.SessionConnectionString;
            options.JwksUrl = db.Issuer.JwksUri.ToString();
            options.Issuer = db.Issuer.Issuer;
            options.Audience = db.Issuer.Audience;
        });
        if (pooled)
        {
            builder.Services.AddDbContextPool<TodoContext>(o => TodoContext.Configure((DbContextOptionsBuilder<TodoContext>)o, db.SessionConnectionString), poolSize: 2);
        }
        else
        {
            builder.Services.AddDbContext<TodoContext>(o => TodoContext.Configure((DbContextOptionsBuilder<TodoContext>)o, db.SessionConnectionString));
        }

        var app = builder.Build();
        app.UseRlsSchema();
        app.MapGet("/todos", async (TodoContext context) => await context.Todos.OrderBy(t => t.Id).Select(t => t.Id).ToListAsync());
        app.MapPost("/todos-for/{owner}", async (string owner, TodoContext context) =>
        {
            context.Todos.Add(new Todo { UserId = owner, Task = "Written through EF in another name" });
            await context.SaveChangesAsync();
            return Results.Ok();
        });
        await app.StartAsync();
        return app;
    }

    private static HttpClient Client(WebApplication app, string? token)
    {
        var client = app.GetTestClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Each_request_reads_as_its_own_user(bool pooled)
    {
        await using var app = await StartAsync(pooled);
        var users = Enumerable.Range(0, 6).Select(_ => DevTokenIssuer.NewUserId()).ToList();
        var seeded = new Dictionary<string, long>();
        foreach (var user in users)
        {
            seeded[user] = await db.SeedAsync(user, "Through the web " + user);
        }

        var seen = await Task.WhenAll(users.Concat(users).Select(async user =>
        {
            using var client = Client(app, db.Issuer.IssueToken(user));
            return (user, ids: await client.GetFromJsonAsync<List<long>>("/todos"));
        }));

        Assert.All(seen, s => Assert.Equal([seeded[s.user]], s.ids));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_refused_save_is_401_for_an_anonymous_request_and_403_for_a_signed_in_one_and_stores_nothing(bool pooled)
    {
        await using var app = await StartAsync(pooled);
        var victim = DevTokenIssuer.NewUserId();

        using var anonymous = Client(app, null);
        using var anonymousResponse = await anonymous.PostAsync("/todos-for/" + victim, null);
        using var signedIn = Client(app, db.Issuer.IssueToken(DevTokenIssuer.NewUserId()));
        using var signedInResponse = await signedIn.PostAsync("/todos-for/" + victim, null);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymousResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, signedInResponse.StatusCode);
        Assert.Equal("application/problem+json", signedInResponse.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await db.OwnerQueryAsync<long>("SELECT id FROM todos WHERE user_id = @victim", new { victim }));
    }
}
