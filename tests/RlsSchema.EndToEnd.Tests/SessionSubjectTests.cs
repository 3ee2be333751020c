using System.Collections.Generic;
using System.Data;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RlsSchema.EndToEnd.Tests.Entities;
using RlsSchema.EndToEnd.Tests.Infrastructure;
using RlsSchema.Npgsql;
using RlsSchema.Tests.Seed;
using Xunit;

namespace RlsSchema.EndToEnd.Tests;

/// <summary>
/// The generated repositories send the session's subject as a parameter (ListMine's filter, an insert's owner left at its
/// default) instead of having the server call <c>auth.user_id()</c>. The parameter only narrows: a session whose subject
/// parameter names another user still reads and writes only what the policies allow its token.
/// </summary>
public sealed class SessionSubjectTests(PostgresCluster cluster) : DatabaseTest(cluster)
{
    // A session that runs every statement with its own token's claims but hands the repository another user's id.
    private sealed class ForgedSubjectSession(IRlsSession inner, string forged) : IRlsSession
    {
        public string? UserId => forged;

        public Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
            inner.QueryAsync<T>(sql, parameters, cancellationToken);

        public Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
            inner.QuerySingleOrDefaultAsync<T>(sql, parameters, cancellationToken);

        public Task<int> ExecuteAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
            inner.ExecuteAsync(sql, parameters, cancellationToken);

        public ValueTask<RlsTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default) =>
            inner.BeginTransactionAsync(cancellationToken);

        public ValueTask<RlsTransaction> BeginTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken = default) =>
            inner.BeginTransactionAsync(isolationLevel, cancellationToken);
    }

    private Task<T> AsForgedAsync<T>(TestUser user, TestUser forged, System.Func<IRlsSession, Task<T>> action) =>
        AsAsync(user, s => action(new ForgedSubjectSession(s, forged.Id)));

    private Task<Todo> AddAsync(TestUser user, string task) =>
        AsAsync(user, s => new TodoRepository(s).InsertAsync(new Todo { Task = task }));

    [Fact]
    public async Task ListMine_filters_by_the_sessions_subject()
    {
        var alice = Db.NewUser("Alice");
        var bob = Db.NewUser("Bob");
        var milk = await AddAsync(alice, "Buy milk");
        await AddAsync(bob, "Water the plants");

        var alicesOwn = await AsAsync(alice, s => new TodoRepository(s).ListMineAsync());

        Assert.Equal([milk.Id], alicesOwn.Select(t => t.Id));
    }

    [Fact]
    public async Task ListMine_with_a_forged_subject_parameter_reads_none_of_the_other_users_rows()
    {
        var alice = Db.NewUser("Alice");
        var bob = Db.NewUser("Bob");
        await AddAsync(alice, "Buy milk");
        await AddAsync(bob, "Water the plants");

        var forged = await AsForgedAsync(alice, bob, s => new TodoRepository(s).ListMineAsync());

        Assert.Empty(forged);
    }

    [Fact]
    public async Task ListMine_with_a_forged_subject_parameter_reads_only_what_the_read_policy_allows()
    {
        // Every signed-in user reads every note: the forged parameter reads Bob's notes, which Alice may read anyway.
        var alice = Db.NewUser("Alice");
        var bob = Db.NewUser("Bob");
        var note = await AsAsync(bob, s => new NoteRepository(s).InsertAsync(new Note { Body = "Bob's note" }));

        var forged = await AsForgedAsync(alice, bob, s => new NoteRepository(s).ListMineAsync());
        var everyone = await AsAsync(alice, s => new NoteRepository(s).ListAsync());

        Assert.Equal([note.Id], forged.Select(n => n.Id));
        Assert.Contains(note.Id, everyone.Select(n => n.Id));
    }

    [Fact]
    public async Task Insert_left_without_an_owner_is_owned_by_the_sessions_subject()
    {
        var alice = Db.NewUser("Alice");

        var todo = await AddAsync(alice, "Buy milk");

        var stored = await Db.OwnerQueryAsync<string>("SELECT user_id FROM todos WHERE id = @id", new { id = todo.Id });
        Assert.Equal(alice.Id, todo.UserId);
        Assert.Equal(alice.Id, stored.Single());
    }

    [Fact]
    public async Task Insert_with_a_forged_subject_parameter_is_refused_by_the_policy_and_writes_nothing()
    {
        var alice = Db.NewUser("Alice");
        var bob = Db.NewUser("Bob");

        var refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() =>
            AsForgedAsync(bob, alice, s => new TodoRepository(s).InsertAsync(new Todo { Task = "Forged by Bob" })));

        Assert.Equal("42501", refused.SqlState);
        var written = await Db.OwnerQueryAsync<long>("SELECT count(*) FROM todos WHERE user_id = @id", new { id = alice.Id });
        Assert.Equal(0, written.Single());
    }

    [Fact]
    public async Task Insert_with_an_explicit_owner_sends_it_as_given_and_the_policy_refuses_a_forged_one()
    {
        var alice = Db.NewUser("Alice");
        var bob = Db.NewUser("Bob");

        var own = await AsAsync(alice, s => new TodoRepository(s).InsertAsync(new Todo { UserId = alice.Id, Task = "Buy milk" }));
        var refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() =>
            AsAsync(bob, s => new TodoRepository(s).InsertAsync(new Todo { UserId = alice.Id, Task = "Forged by Bob" })));

        Assert.Equal(alice.Id, own.UserId);
        Assert.Equal("42501", refused.SqlState);
        var written = await Db.OwnerQueryAsync<long>("SELECT count(*) FROM todos WHERE user_id = @id", new { id = alice.Id });
        Assert.Equal(1, written.Single());
    }

    [Fact]
    public async Task Anonymous_insert_without_an_owner_is_still_refused()
    {
        var refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() =>
            AsAsync(null, s => new TodoRepository(s).InsertAsync(new Todo { Task = "No one's" })));

        Assert.Equal("42501", refused.SqlState);
    }
}
