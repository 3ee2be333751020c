using System;
using System.Linq;
using System.Threading.Tasks;
using RlsSchema.EndToEnd.Tests.Entities;
using RlsSchema.EndToEnd.Tests.Infrastructure;
using RlsSchema.Npgsql;
using Xunit;

namespace RlsSchema.EndToEnd.Tests;

/// <summary>
/// <c>[Immutable]</c> and <c>[ServerGenerated]</c> columns: column-level grants refuse an end user's write whatever
/// the policies allow, while the owner and the service session may write them, and the repository never sends them
/// where they would be refused.
/// </summary>
public sealed class ProtectedColumnTests(PostgresCluster cluster) : DatabaseTest(cluster)
{
    private Task<Listing> ListAsync(TestUser seller, string kind, string title) =>
        AsAsync(seller, s => new ListingRepository(s).InsertAsync(new Listing { Kind = kind, Title = title }));

    private async Task<string?> StoredAsync(string column, long id) =>
        (await Db.OwnerQueryAsync<string>("SELECT " + column + "::text FROM listings WHERE id = @id", new { id })).SingleOrDefault();

    [Fact]
    public async Task An_end_users_update_of_an_immutable_column_fails_with_42501_though_the_policy_admits_the_row()
    {
        var alice = Db.NewUser("Alice");
        var listing = await ListAsync(alice, "bike", "Red bike");

        var kind = await Assert.ThrowsAsync<RlsAuthorizationException>(() =>
            AsAsync(alice, s => s.ExecuteAsync("UPDATE listings SET kind = 'car' WHERE id = @Id", new { listing.Id })));
        var seller = await Assert.ThrowsAsync<RlsAuthorizationException>(() =>
            AsAsync(alice, s => s.ExecuteAsync("UPDATE listings SET seller_id = 'user_someone_else' WHERE id = @Id", new { listing.Id })));

        Assert.Equal("42501", kind.SqlState);
        Assert.Equal("42501", seller.SqlState);
        Assert.Equal("bike", await StoredAsync("kind", listing.Id));
        Assert.Equal(alice.Id, await StoredAsync("seller_id", listing.Id));
    }

    [Fact]
    public async Task The_repository_update_writes_the_other_columns_and_keeps_the_immutable_ones()
    {
        var alice = Db.NewUser("Alice");
        var listing = await ListAsync(alice, "bike", "Red bike");

        var updated = await AsAsync(alice, s => new ListingRepository(s).UpdateAsync(new Listing { Id = listing.Id, SellerId = alice.Id, Kind = "car", Title = "Blue bike" }));

        Assert.Equal("Blue bike", updated?.Title);
        Assert.Equal("bike", updated?.Kind);
        Assert.Equal("bike", await StoredAsync("kind", listing.Id));
    }

    [Fact]
    public async Task The_owner_and_the_service_session_may_write_an_immutable_column()
    {
        var alice = Db.NewUser("Alice");
        var listing = await ListAsync(alice, "bike", "Red bike");

        await Db.OwnerExecuteAsync("UPDATE listings SET kind = 'car' WHERE id = @Id", new { listing.Id });
        var byOwner = await StoredAsync("kind", listing.Id);
        await using var service = new RlsServiceDataSource(Db.Database.OwnerConnectionString);
        await using (var backend = await service.OpenServiceSessionAsync())
        {
            await backend.ExecuteAsync("UPDATE listings SET kind = 'van', seller_id = 'user_new_seller' WHERE id = @Id", new { listing.Id });
        }

        Assert.Equal("car", byOwner);
        Assert.Equal("van", await StoredAsync("kind", listing.Id));
        Assert.Equal("user_new_seller", await StoredAsync("seller_id", listing.Id));
    }

    [Fact]
    public async Task An_end_user_sets_an_immutable_column_on_insert_but_never_writes_a_server_generated_one()
    {
        var alice = Db.NewUser("Alice");

        var listing = await ListAsync(alice, "boat", "Canoe");
        var refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() =>
            AsAsync(alice, s => s.ExecuteAsync("INSERT INTO listings (kind, title, listed_at) VALUES ('boat', 'Kayak', now() - interval '1 year')")));
        var restamped = await Assert.ThrowsAsync<RlsAuthorizationException>(() =>
            AsAsync(alice, s => s.ExecuteAsync("UPDATE listings SET listed_at = now() WHERE id = @Id", new { listing.Id })));

        Assert.Equal("boat", listing.Kind);
        Assert.True(listing.ListedAt > DateTimeOffset.UtcNow.AddMinutes(-5), "The server did not stamp the listing.");
        Assert.Equal("42501", refused.SqlState);
        Assert.Equal("42501", restamped.SqlState);
        Assert.Equal(["Canoe"], (await Db.OwnerQueryAsync<string>("SELECT title FROM listings WHERE seller_id = @Id", new { alice.Id })).ToArray());
    }
}
