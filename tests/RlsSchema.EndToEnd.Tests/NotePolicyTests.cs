using System.Linq;
using System.Threading.Tasks;
using RlsSchema.EndToEnd.Tests.Entities;
using RlsSchema.EndToEnd.Tests.Infrastructure;
using RlsSchema.Npgsql;
using Xunit;

namespace RlsSchema.EndToEnd.Tests;

/// <summary><c>Read = "true"</c> with an owner: every signed-in user reads every note, only the author changes it.</summary>
public sealed class NotePolicyTests(PostgresCluster cluster) : DatabaseTest(cluster)
{
    private Task<Note> WriteAsync(TestUser user, string body) =>
        AsAsync(user, s => new NoteRepository(s).InsertAsync(new Note { Body = body }));

    private async Task<string?> StoredBodyAsync(long id) =>
        (await Db.OwnerQueryAsync<string>("SELECT body FROM notes WHERE id = @id", new { id })).SingleOrDefault();

    [Fact]
    public async Task Every_signed_in_user_reads_every_note()
    {
        var alice = Db.NewUser("Alice");
        var bob = Db.NewUser("Bob");
        var note = await WriteAsync(alice, "Standup at ten");

        var listed = await AsAsync(bob, s => new NoteRepository(s).ListAsync());
        var read = await AsAsync(bob, s => new NoteRepository(s).GetAsync(note.Id));

        Assert.Contains(listed, n => n.Id == note.Id && n.AuthorId == alice.Id);
        Assert.Equal("Standup at ten", read?.Body);
    }

    [Fact]
    public async Task Listing_mine_filters_to_the_author_even_where_everyone_reads()
    {
        var alice = Db.NewUser("Alice");
        var bob = Db.NewUser("Bob");
        await WriteAsync(alice, "Alice's note");
        var bobs = await WriteAsync(bob, "Bob's note");

        var mine = await AsAsync(bob, s => new NoteRepository(s).ListMineAsync());

        Assert.Equal([bobs.Id], mine.Select(n => n.Id));
    }

    [Fact]
    public async Task Author_updates_and_deletes_their_note()
    {
        var alice = Db.NewUser("Alice");
        var note = await WriteAsync(alice, "Draft");

        var updated = await AsAsync(alice, s => new NoteRepository(s).UpdateAsync(new Note { Id = note.Id, AuthorId = alice.Id, Body = "Final" }));
        Assert.Equal("Final", updated?.Body);

        Assert.True(await AsAsync(alice, s => new NoteRepository(s).DeleteAsync(note.Id)));
        Assert.Null(await StoredBodyAsync(note.Id));
    }

    [Fact]
    public async Task Reader_who_is_not_the_author_cannot_update_or_delete_a_note()
    {
        var alice = Db.NewUser("Alice");
        var bob = Db.NewUser("Bob");
        var note = await WriteAsync(alice, "Standup at ten");

        var updated = await AsAsync(bob, s => new NoteRepository(s).UpdateAsync(new Note { Id = note.Id, AuthorId = alice.Id, Body = "Cancelled" }));
        var deleted = await AsAsync(bob, s => new NoteRepository(s).DeleteAsync(note.Id));

        Assert.Null(updated);
        Assert.False(deleted);
        Assert.Equal("Standup at ten", await StoredBodyAsync(note.Id));
    }

    [Fact]
    public async Task Note_naming_another_author_is_refused()
    {
        var alice = Db.NewUser("Alice");
        var bob = Db.NewUser("Bob");

        var refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() =>
            AsAsync(bob, s => new NoteRepository(s).InsertAsync(new Note { AuthorId = alice.Id, Body = "Signed Alice" })));

        Assert.Equal("42501", refused.SqlState);
        Assert.Empty(await Db.OwnerQueryAsync<long>("SELECT id FROM notes WHERE author_id = @id", new { id = alice.Id }));
    }

    [Fact]
    public async Task Anonymous_session_reads_no_notes_and_writes_none()
    {
        var alice = Db.NewUser("Alice");
        var note = await WriteAsync(alice, "Standup at ten");

        await Assert.ThrowsAsync<RlsAuthorizationException>(() => AsAsync(null, s => new NoteRepository(s).ListAsync()));
        await Assert.ThrowsAsync<RlsAuthorizationException>(() => AsAsync(null, s => new NoteRepository(s).UpdateAsync(new Note { Id = note.Id, AuthorId = alice.Id, Body = "x" })));
        await Assert.ThrowsAsync<RlsAuthorizationException>(() => AsAsync(null, s => new NoteRepository(s).DeleteAsync(note.Id)));
        var refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() =>
            AsAsync(null, s => new NoteRepository(s).InsertAsync(new Note { AuthorId = alice.Id, Body = "x" })));
        Assert.Equal("42501", refused.SqlState);
        Assert.Equal("Standup at ten", await StoredBodyAsync(note.Id));
    }
}
