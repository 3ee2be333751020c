using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using RlsSchema.Testing;
using Xunit;

namespace RlsSchema.AspNetCore.Tests;

/// <summary>The sample's API through the whole ASP.NET Core pipeline, with the sample's own tokens and database.</summary>
[Collection(TodosWebCollection.Name)]
public sealed class TodoApiTests(TodosWebFixture web)
{
    private sealed record TodoJson(long Id, string UserId, string Task, bool IsComplete, DateTimeOffset InsertedAt);

    [Fact]
    public async Task Healthz_answers_200_when_the_database_answers_and_the_schema_is_applied()
    {
        using var client = web.Client();
        using var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Dev_token_is_plain_text_for_the_same_user_each_time()
    {
        using var client = web.Client();
        using var first = await client.GetAsync("/dev/token/carol");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("text/plain", first.Content.Headers.ContentType?.MediaType);
        var again = await web.TokenAsync("carol");
        Assert.Equal(Subject(await first.Content.ReadAsStringAsync()), Subject(again));
        Assert.NotEqual(Subject(again), Subject(await web.TokenAsync("dave")));
    }

    [Fact]
    public async Task Alice_adds_a_todo_and_gets_201_with_it_as_camel_case_json()
    {
        var alice = await web.TokenAsync("alice");
        using var client = web.Client(alice);
        using var response = await client.PostAsJsonAsync("/api/todos", new { task = "Buy milk" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["id", "userId", "task", "isComplete", "insertedAt", "dueOn"], json.EnumerateObject().Select(p => p.Name));
        var id = json.GetProperty("id").GetInt64();
        Assert.True(id > 0);
        Assert.Equal(Subject(alice), json.GetProperty("userId").GetString());
        Assert.Equal("Buy milk", json.GetProperty("task").GetString());
        Assert.False(json.GetProperty("isComplete").GetBoolean());
        Assert.Equal($"/api/todos/{id}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Alice_and_bob_each_list_only_their_own_todos()
    {
        using var alice = web.Client(await web.TokenAsync("alice"));
        using var bob = web.Client(await web.TokenAsync("bob"));
        var mine = await CreateAsync(alice, "Alice's list item " + Guid.NewGuid());
        var his = await CreateAsync(bob, "Bob's list item " + Guid.NewGuid());

        var aliceSees = await alice.GetFromJsonAsync<List<TodoJson>>("/api/todos");
        var bobSees = await bob.GetFromJsonAsync<List<TodoJson>>("/api/todos");

        Assert.Contains(aliceSees!, t => t.Id == mine.Id);
        Assert.DoesNotContain(aliceSees!, t => t.Id == his.Id);
        Assert.All(aliceSees!, t => Assert.Equal(mine.UserId, t.UserId));
        Assert.Contains(bobSees!, t => t.Id == his.Id);
        Assert.DoesNotContain(bobSees!, t => t.Id == mine.Id);
        Assert.All(bobSees!, t => Assert.Equal(his.UserId, t.UserId));
    }

    [Fact]
    public async Task Alice_gets_her_todo_by_id_and_bob_gets_404()
    {
        using var alice = web.Client(await web.TokenAsync("alice"));
        using var bob = web.Client(await web.TokenAsync("bob"));
        var todo = await CreateAsync(alice, "Read by id");

        var got = await alice.GetFromJsonAsync<TodoJson>($"/api/todos/{todo.Id}");
        Assert.Equal(todo, got);
        using var peek = await bob.GetAsync($"/api/todos/{todo.Id}");
        Assert.Equal(HttpStatusCode.NotFound, peek.StatusCode);
        using var missing = await alice.GetAsync("/api/todos/987654321");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Alice_patches_her_todo_done_and_renames_it()
    {
        using var alice = web.Client(await web.TokenAsync("alice"));
        var todo = await CreateAsync(alice, "Patch me");

        using var done = await alice.PatchAsJsonAsync($"/api/todos/{todo.Id}", new { isComplete = true });
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal(todo with { IsComplete = true }, await done.Content.ReadFromJsonAsync<TodoJson>());

        using var renamed = await alice.PatchAsJsonAsync($"/api/todos/{todo.Id}", new { task = "Patched" });
        Assert.Equal(todo with { IsComplete = true, Task = "Patched" }, await renamed.Content.ReadFromJsonAsync<TodoJson>());
        Assert.Equal(todo with { IsComplete = true, Task = "Patched" }, await alice.GetFromJsonAsync<TodoJson>($"/api/todos/{todo.Id}"));
    }

    [Fact]
    public async Task Bob_cannot_patch_alices_todo_and_it_stays_as_it_was()
    {
        using var alice = web.Client(await web.TokenAsync("alice"));
        using var bob = web.Client(await web.TokenAsync("bob"));
        var todo = await CreateAsync(alice, "Not Bob's to change");

        using var response = await bob.PatchAsJsonAsync($"/api/todos/{todo.Id}", new { isComplete = true, task = "Changed by Bob" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(todo, await alice.GetFromJsonAsync<TodoJson>($"/api/todos/{todo.Id}"));
        Assert.Equal(0, await web.CountTodosAsync("Changed by Bob"));
    }

    [Fact]
    public async Task Bob_cannot_delete_alices_todo_and_alice_can()
    {
        using var alice = web.Client(await web.TokenAsync("alice"));
        using var bob = web.Client(await web.TokenAsync("bob"));
        var todo = await CreateAsync(alice, "Delete me " + Guid.NewGuid());

        using var bobs = await bob.DeleteAsync($"/api/todos/{todo.Id}");
        Assert.Equal(HttpStatusCode.NotFound, bobs.StatusCode);
        Assert.Equal(1, await web.CountTodosAsync(todo.Task));

        using var hers = await alice.DeleteAsync($"/api/todos/{todo.Id}");
        Assert.Equal(HttpStatusCode.NoContent, hers.StatusCode);
        Assert.Equal(0, await web.CountTodosAsync(todo.Task));
        using var again = await alice.DeleteAsync($"/api/todos/{todo.Id}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Theory]
    [InlineData("{\"task\":\"\"}")]
    [InlineData("{\"task\":\"   \"}")]
    [InlineData("{}")]
    public async Task A_todo_without_a_task_is_400_and_nothing_is_written(string body)
    {
        using var alice = web.Client(await web.TokenAsync("alice"));
        var before = await web.CountTodosAsync();
        using var response = await alice.PostAsync("/api/todos", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await web.CountTodosAsync());
    }

    [Fact]
    public async Task A_task_with_a_nul_or_over_the_length_limit_is_400_on_post_and_patch_and_nothing_is_written()
    {
        using var alice = web.Client(await web.TokenAsync("alice"));
        using var created = await alice.PostAsJsonAsync("/api/todos", new { task = "kept as it is" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var before = await web.CountTodosAsync();

        foreach (var task in new[] { "a\0b", "\0", new string('x', 1001), new string('x', 1024 * 1024) })
        {
            using var post = await alice.PostAsJsonAsync("/api/todos", new { task });
            using var patch = await alice.PatchAsJsonAsync($"/api/todos/{id}", new { task });
            Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, patch.StatusCode);
            Assert.Equal("application/problem+json", post.Content.Headers.ContentType?.MediaType);
        }

        using var longest = await alice.PostAsJsonAsync("/api/todos", new { task = new string('x', 1000) });
        Assert.Equal(HttpStatusCode.Created, longest.StatusCode);
        Assert.Equal(before + 1, await web.CountTodosAsync());
        Assert.Equal(1L, await web.CountTodosAsync("kept as it is"));
    }

    [Theory]
    [InlineData("GET", "/api/todos")]
    [InlineData("GET", "/api/todos/1")]
    [InlineData("POST", "/api/todos")]
    [InlineData("PATCH", "/api/todos/1")]
    [InlineData("DELETE", "/api/todos/1")]
    public async Task Without_a_token_every_todos_endpoint_is_401_asking_for_a_bearer_token(string method, string path)
    {
        using var client = web.Client();
        var before = await web.CountTodosAsync();
        using var response = await client.SendAsync(Request(method, path));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(before, await web.CountTodosAsync());
    }

    public static TheoryData<string> Forgeries() =>
    [
        "signed by another key", "tampered subject", "alg none", "HS256 with the public key", "expired", "not yet valid",
        "wrong audience", "wrong issuer", "no subject", "unknown kid", "garbage", "empty",
    ];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_forged_token_is_401_with_www_authenticate_on_every_endpoint_and_writes_nothing(string forgery)
    {
        var token = Forge(forgery);
        var before = await web.CountTodosAsync();
        foreach (var (method, path) in new[]
        {
            ("GET", "/api/todos"), ("GET", "/api/todos/1"), ("POST", "/api/todos"), ("PATCH", "/api/todos/1"), ("DELETE", "/api/todos/1"),
            ("GET", "/healthz"), ("GET", "/dev/token/alice"),
        })
        {
            using var client = web.Client();
            var request = Request(method, path);
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
            using var response = await client.SendAsync(request);
            Assert.True(HttpStatusCode.Unauthorized == response.StatusCode, $"{method} {path} with a token {forgery}: {(int)response.StatusCode}");
            Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
        }

        Assert.Equal(before, await web.CountTodosAsync());
    }

    [Theory]
    [InlineData("Basic YWxpY2U6c2VjcmV0")]
    [InlineData("Bearer")]
    [InlineData("")]
    public async Task An_authorization_header_that_is_not_a_bearer_token_is_401_even_where_anonymous_is_allowed(string header)
    {
        using var client = web.Client();
        var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.TryAddWithoutValidation("Authorization", header);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_page_is_served_at_the_root()
    {
        using var client = web.Client();
        var html = await client.GetStringAsync("/");
        Assert.Contains("<title>Todos", html);
        Assert.Contains("app.js", html);
    }

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), path)
    {
        Content = method is "POST" or "PATCH" ? new StringContent("{\"task\":\"forged\",\"isComplete\":true}", Encoding.UTF8, "application/json") : null,
    };

    private string Forge(string forgery)
    {
        var issuer = web.Issuer;
        var someone = DevTokenIssuer.NewUserId();
        return forgery switch
        {
            "signed by another key" => issuer.IssueToken(someone, new DevTokenOptions { Signing = DevTokenSigning.OtherKey }),
            "tampered subject" => issuer.IssueToken(someone, new DevTokenOptions { TamperedSubject = DevTokenIssuer.NewUserId() }),
            "alg none" => issuer.IssueToken(someone, new DevTokenOptions { Signing = DevTokenSigning.None }),
            "HS256 with the public key" => issuer.IssueToken(someone, new DevTokenOptions { Signing = DevTokenSigning.Hs256WithPublicKey }),
            "expired" => issuer.IssueToken(someone, new DevTokenOptions { IssuedAt = DateTimeOffset.UtcNow.AddHours(-2), Lifetime = TimeSpan.FromMinutes(5) }),
            "not yet valid" => issuer.IssueToken(someone, new DevTokenOptions { NotBefore = DateTimeOffset.UtcNow.AddHours(1) }),
            "wrong audience" => issuer.IssueToken(someone, new DevTokenOptions { Audience = "client_someone_else" }),
            "wrong issuer" => issuer.IssueToken(someone, new DevTokenOptions { Issuer = "https://issuer.example/" }),
            "no subject" => issuer.IssueToken(null),
            "unknown kid" => issuer.IssueToken(someone, new DevTokenOptions { KeyId = "sso_oidc_key_pair_unknown" }),
            "garbage" => "not.a.jwt",
            "empty" => "",
            _ => throw new ArgumentOutOfRangeException(nameof(forgery)),
        };
    }

    private static async Task<TodoJson> CreateAsync(HttpClient client, string task)
    {
        using var response = await client.PostAsJsonAsync("/api/todos", new { task });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<TodoJson>())!;
    }

    private static string Subject(string token)
    {
        var payload = token.Split('.')[1];
        return JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(payload)).RootElement.GetProperty("sub").GetString()!;
    }
}
