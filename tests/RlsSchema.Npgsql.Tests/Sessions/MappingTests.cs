using System;
using System.Threading;
using System.Threading.Tasks;
using RlsSchema.Testing;
using RlsSchema.Tests.Seed;
using Xunit;

namespace RlsSchema.Npgsql.Tests.Sessions;

[Collection(PostgresCollection.Name)]
public sealed class MappingTests(PostgresFixture fixture) : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private RlsDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        var database = await fixture.DatabaseFor(GetType());
        _dataSource = database.CreateDataSource(fixture.Issuer.ValidationOptions);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task Single_values_map_to_their_types()
    {
        await using var session = await _dataSource.OpenAnonymousSessionAsync();

        Assert.Equal("text", await session.QuerySingleOrDefaultAsync<string>("SELECT 'text'", null, None));
        Assert.Null(await session.QuerySingleOrDefaultAsync<string>("SELECT NULL::text", null, None));
        Assert.Equal(7L, await session.QuerySingleOrDefaultAsync<long>("SELECT 7::int", null, None));
        Assert.Null(await session.QuerySingleOrDefaultAsync<int?>("SELECT NULL::int", null, None));
        Assert.Equal(["a", "b"], await session.QueryAsync<string>("SELECT unnest(ARRAY['a', 'b'])", null, None));
    }

    [Fact]
    public async Task Rows_map_by_exact_column_alias_and_timestamptz_maps_to_DateTimeOffset()
    {
        await using var session = await _dataSource.OpenSessionAsync(fixture.Issuer.IssueToken(DevTokenIssuer.NewUserId()));

        var row = await session.QuerySingleOrDefaultAsync<TimedTodo>(
            $"INSERT INTO todos (task) VALUES (@Task) RETURNING id AS \"Id\", task AS \"Task\", inserted_at AS \"InsertedAt\"",
            new { Task = "timed" },
            None);

        Assert.NotNull(row);
        Assert.Equal("timed", row.Task);
        Assert.True(row.InsertedAt > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task Parameters_are_values_never_sql()
    {
        var hostile = "' OR 1=1 --";
        await using var session = await _dataSource.OpenSessionAsync(fixture.Issuer.IssueToken(hostile));

        await session.ExecuteAsync("INSERT INTO todos (task) VALUES (@Task)", new { Task = hostile }, None);
        var mine = await session.QueryAsync<Todo>($"SELECT {Todo.Columns} FROM todos WHERE user_id = @Me", new { Me = hostile }, None);

        var todo = Assert.Single(mine);
        Assert.Equal(hostile, todo.UserId);
        Assert.Equal(hostile, todo.Task);
    }

    public sealed class TimedTodo
    {
        public long Id { get; set; }

        public string Task { get; set; } = "";

        public DateTimeOffset InsertedAt { get; set; }
    }
}
