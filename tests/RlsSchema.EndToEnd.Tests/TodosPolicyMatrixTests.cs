using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using RlsSchema.EndToEnd.Tests.Infrastructure;
using RlsSchema.Generator.Tests.Infrastructure;
using RlsSchema.Testing;
using Xunit;

namespace RlsSchema.EndToEnd.Tests;

/// <summary>
/// The Todos sample's policy matrix, from the model its build compiled into <c>Todos.dll</c> and on the script its build
/// wrote, is the committed <c>samples/Todos/policy-matrix.md</c>.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TodosPolicyMatrixTests(PostgresCluster cluster) : IAsyncLifetime
{
    private static readonly string Committed = Path.Combine(RepositoryFiles.Root, "samples", "Todos", "policy-matrix.md");
    private SchemaDatabase _db = null!;
    private string _alice = "";
    private string _bob = "";
    private long _alicesTodo;
    private long _bobsTodo;

    public async Task InitializeAsync()
    {
        _db = new SchemaDatabase(await cluster.CreateDatabaseAsync(SampleOutput.TodosScript), cluster.Issuer);
        _alice = DevTokenIssuer.NewUserId();
        _bob = DevTokenIssuer.NewUserId();
        _alicesTodo = await SeedAsync(_alice, "Buy milk");
        _bobsTodo = await SeedAsync(_bob, "Walk the dog");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Todos_PolicyMatrix_is_the_committed_file()
    {
        var result = await Matrix().AnonymousPersona().RunAsync(_db.DataSource);

        result.Verify(Committed);
        Assert.Empty(result.Untested);
    }

    [Fact]
    public async Task PolicyMatrix_lists_as_untested_what_no_persona_is_allowed_or_no_row_tries()
    {
        var result = await PolicyMatrix.FromAssembly(TodosAssembly())
            .AnonymousPersona()
            .Row("todos", "alice's todo", _alicesTodo)
            .RunAsync(_db.DataSource);

        Assert.All(result.Cells, c => Assert.Equal(PolicyMatrixOutcome.Refused, c.Outcome));
        Assert.Equal(
            ["todos SELECT: never allowed, though a permissive policy allows some rows", "todos INSERT: no candidate row",
             "todos UPDATE: never allowed, though a permissive policy allows some rows", "todos DELETE: never allowed, though a permissive policy allows some rows"],
            result.Untested.Select(g => g.ToString()));
    }

    [Fact]
    public async Task PolicyMatrix_renders_the_same_cells_as_JSON()
    {
        var result = await Matrix().RunAsync(_db.DataSource);

        var json = System.Text.Json.JsonDocument.Parse(result.ToJson()).RootElement;
        var cells = json.GetProperty("cells").EnumerateArray().Select(c => $"{c.GetProperty("persona").GetString()} {c.GetProperty("command").GetString()} {c.GetProperty("row").GetString()} {c.GetProperty("outcome").GetString()}");
        Assert.Equal(result.Cells.Select(c => $"{c.Persona} {c.Command} {c.Row} {c.Outcome.ToString().ToLowerInvariant()}"), cells);
        Assert.Contains("alice DELETE bob's todo filtered", cells);
    }

    [Fact]
    public async Task PolicyMatrix_names_a_cell_that_fails_for_another_reason_than_a_policy()
    {
        var matrix = Matrix().Candidate("todos", "an empty todo", new { user_id = _alice, task = "" });

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => matrix.RunAsync(_db.DataSource));

        Assert.Contains("alice's INSERT of todos 'an empty todo' failed with SQLSTATE 23514", failure.Message);
    }

    private PolicyMatrix Matrix() => PolicyMatrix.FromAssembly(TodosAssembly())
        .Persona("alice", _db.Issuer.IssueToken(_alice, new DevTokenOptions { Lifetime = TimeSpan.FromHours(1) }))
        .Persona("bob", _db.Issuer.IssueToken(_bob, new DevTokenOptions { Lifetime = TimeSpan.FromHours(1) }))
        .Row("todos", "alice's todo", _alicesTodo)
        .Row("todos", "bob's todo", _bobsTodo)
        .Candidate("todos", "alice's new todo", new { user_id = _alice, task = "Call mum" })
        .Candidate("todos", "bob's new todo", new { user_id = _bob, task = "Planted" });

    private async Task<long> SeedAsync(string user, string task) =>
        (await _db.OwnerQueryAsync<long>("INSERT INTO todos (user_id, task) VALUES (@user, @task) RETURNING id", new { user, task })).Single();

    // The sample's own build output: its model, not this test assembly's copy of the seed's todo.
    private static Assembly TodosAssembly() => Assembly.LoadFrom(SampleOutput.TodosAssembly);
}
