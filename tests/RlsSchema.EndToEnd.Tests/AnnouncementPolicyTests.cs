using System;
using System.Linq;
using System.Threading.Tasks;
using RlsSchema.EndToEnd.Tests.Entities;
using RlsSchema.EndToEnd.Tests.Infrastructure;
using RlsSchema.Npgsql;
using Xunit;

namespace RlsSchema.EndToEnd.Tests;

/// <summary>Public content: a read-only policy for the anonymous role beside an owner policy for signed-in users.</summary>
public sealed class AnnouncementPolicyTests(PostgresCluster cluster) : DatabaseTest(cluster)
{
    private Task<Announcement> PostAsync(TestUser user, string text, DateTimeOffset? publishedAt = null) =>
        AsAsync(user, s => new AnnouncementRepository(s).InsertAsync(new Announcement { Text = text, PublishedAt = publishedAt }));

    private async Task<string?> StoredTextAsync(int id) =>
        (await Db.OwnerQueryAsync<string>("SELECT text FROM public_announcements WHERE id = @id", new { id })).SingleOrDefault();

    [Fact]
    public async Task Anonymous_session_reads_every_announcement()
    {
        var alice = Db.NewUser("Alice");
        var posted = await PostAsync(alice, "Office closed on Friday");

        var listed = await AsAsync(null, s => new AnnouncementRepository(s).ListAsync());
        var read = await AsAsync(null, s => new AnnouncementRepository(s).GetAsync(posted.Id));

        Assert.Contains(listed, a => a.Id == posted.Id);
        Assert.Equal("Office closed on Friday", read?.Text);
    }

    [Fact]
    public async Task Anonymous_session_cannot_post_update_or_delete()
    {
        var alice = Db.NewUser("Alice");
        var posted = await PostAsync(alice, "Office closed on Friday");

        var refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() =>
            AsAsync(null, s => new AnnouncementRepository(s).InsertAsync(new Announcement { AuthorId = alice.Id, Text = "Free cake" })));
        var updated = await Assert.ThrowsAsync<RlsAuthorizationException>(() => AsAsync(null, s => new AnnouncementRepository(s).UpdateAsync(
            new Announcement { Id = posted.Id, AuthorId = alice.Id, Text = "Office open" })));
        var deleted = await Assert.ThrowsAsync<RlsAuthorizationException>(() => AsAsync(null, s => new AnnouncementRepository(s).DeleteAsync(posted.Id)));

        Assert.Equal("42501", refused.SqlState);
        Assert.Equal("42501", updated.SqlState);
        Assert.Equal("42501", deleted.SqlState);
        Assert.Equal("Office closed on Friday", await StoredTextAsync(posted.Id));
    }

    [Fact]
    public async Task Signed_in_user_reads_others_announcements_but_changes_only_their_own()
    {
        var alice = Db.NewUser("Alice");
        var bob = Db.NewUser("Bob");
        var alices = await PostAsync(alice, "Office closed on Friday");
        var bobs = await PostAsync(bob, "Lunch at noon");

        Assert.Equal("Office closed on Friday", (await AsAsync(bob, s => new AnnouncementRepository(s).GetAsync(alices.Id)))?.Text);
        Assert.Null(await AsAsync(bob, s => new AnnouncementRepository(s).UpdateAsync(
            new Announcement { Id = alices.Id, AuthorId = alice.Id, Text = "Office open" })));
        Assert.False(await AsAsync(bob, s => new AnnouncementRepository(s).DeleteAsync(alices.Id)));
        Assert.Equal("Lunch at one", (await AsAsync(bob, s => new AnnouncementRepository(s).UpdateAsync(
            new Announcement { Id = bobs.Id, AuthorId = bob.Id, Text = "Lunch at one" })))?.Text);
        Assert.True(await AsAsync(bob, s => new AnnouncementRepository(s).DeleteAsync(bobs.Id)));
        Assert.Equal("Office closed on Friday", await StoredTextAsync(alices.Id));
        Assert.Null(await StoredTextAsync(bobs.Id));
    }

    [Fact]
    public async Task Post_naming_another_author_is_refused()
    {
        var alice = Db.NewUser("Alice");
        var bob = Db.NewUser("Bob");

        var refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() =>
            AsAsync(bob, s => new AnnouncementRepository(s).InsertAsync(new Announcement { AuthorId = alice.Id, Text = "Signed Alice" })));

        Assert.Equal("42501", refused.SqlState);
        Assert.Empty(await Db.OwnerQueryAsync<int>("SELECT id FROM public_announcements WHERE author_id = @id", new { id = alice.Id }));
    }

    [Fact]
    public async Task Nullable_timestamp_round_trips_as_null_and_as_a_value()
    {
        var alice = Db.NewUser("Alice");
        var at = new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);

        var draft = await PostAsync(alice, "Draft");
        var published = await PostAsync(alice, "Published", at);
        var reread = await AsAsync(alice, s => new AnnouncementRepository(s).GetAsync(published.Id));

        Assert.Null(draft.PublishedAt);
        Assert.Equal(at, published.PublishedAt);
        Assert.Equal(at, reread?.PublishedAt);
    }
}
