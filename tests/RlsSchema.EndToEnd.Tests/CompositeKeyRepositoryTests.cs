using System.Linq;
using System.Threading.Tasks;
using RlsSchema.EndToEnd.Tests.Entities;
using RlsSchema.EndToEnd.Tests.Infrastructure;
using RlsSchema.Npgsql;
using Xunit;

namespace RlsSchema.EndToEnd.Tests;

/// <summary>
/// A table keyed by EF Core's <c>[PrimaryKey(nameof(Topic), nameof(UserId))]</c>, through the generated repository in a
/// real session: every method takes or matches the whole key, and the policies still decide which rows are seen.
/// </summary>
public sealed class CompositeKeyRepositoryTests(PostgresCluster cluster) : DatabaseTest(cluster)
{
    private Task SubscribeAsync(TestUser user, params string[] topics) =>
        AsAsync(user, async s =>
        {
            foreach (string topic in topics)
            {
                await new SubscriptionRepository(s).InsertAsync(new Subscription { Topic = topic });
            }

            return 0;
        });

    [Fact]
    public async Task The_table_is_created_with_the_composite_key_in_the_attributes_order()
    {
        var key = await Db.OwnerQueryAsync<string>(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'subscriptions'::regclass AND contype = 'p'");

        Assert.Equal("PRIMARY KEY (topic, user_id)", Assert.Single(key));
    }

    [Fact]
    public async Task GetAsync_finds_the_row_by_both_parts_of_the_key_and_not_another_users_row()
    {
        var alice = Db.NewUser("Alice");
        var bob = Db.NewUser("Bob");
        await SubscribeAsync(alice, "news");
        await SubscribeAsync(bob, "news");

        var own = await AsAsync(alice, s => new SubscriptionRepository(s).GetAsync("news", alice.Id));
        var bobs = await AsAsync(alice, s => new SubscriptionRepository(s).GetAsync("news", bob.Id));

        Assert.Equal((alice.Id, "news"), (own?.UserId, own?.Topic));
        Assert.Null(bobs);
    }

    [Fact]
    public async Task UpdateAsync_and_DeleteAsync_change_only_the_row_with_the_whole_key()
    {
        var alice = Db.NewUser("Alice");
        await SubscribeAsync(alice, "news", "sports");

        var updated = await AsAsync(alice, s => new SubscriptionRepository(s).UpdateAsync(new Subscription { Topic = "news", UserId = alice.Id, Frequency = "weekly" }));
        bool deleted = await AsAsync(alice, s => new SubscriptionRepository(s).DeleteAsync("sports", alice.Id));
        bool deletedAgain = await AsAsync(alice, s => new SubscriptionRepository(s).DeleteAsync("sports", alice.Id));
        var rows = await AsAsync(alice, s => new SubscriptionRepository(s).ListMineAsync());

        Assert.Equal("weekly", updated?.Frequency);
        Assert.True(deleted);
        Assert.False(deletedAgain);
        Assert.Equal([("news", "weekly")], rows.Select(r => (r.Topic, r.Frequency)));
    }

    [Fact]
    public async Task A_second_row_with_the_same_key_is_refused()
    {
        var alice = Db.NewUser("Alice");
        await SubscribeAsync(alice, "news");

        var error = await Assert.ThrowsAnyAsync<System.Exception>(() => SubscribeAsync(alice, "news"));

        Assert.Equal("23505", (error as global::Npgsql.PostgresException ?? error.InnerException as global::Npgsql.PostgresException)?.SqlState);
    }

    [Fact]
    public async Task ListPageAsync_pages_on_the_whole_key()
    {
        var alice = Db.NewUser("Alice");
        await SubscribeAsync(alice, "a", "b", "c", "d", "e");
        var repository = (IRlsSession s) => new SubscriptionRepository(s);

        var first = await AsAsync(alice, s => repository(s).ListPageAsync(2));
        var second = await AsAsync(alice, s => repository(s).ListPageAsync(2, (first[^1].Topic, first[^1].UserId)));
        var last = await AsAsync(alice, s => repository(s).ListPageAsync(2, (second[^1].Topic, second[^1].UserId)));

        Assert.Equal(["a", "b"], first.Select(r => r.Topic));
        Assert.Equal(["c", "d"], second.Select(r => r.Topic));
        Assert.Equal(["e"], last.Select(r => r.Topic));
    }
}
