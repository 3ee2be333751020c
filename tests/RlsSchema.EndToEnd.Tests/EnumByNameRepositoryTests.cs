using System.Linq;
using System.Threading.Tasks;
using RlsSchema.EndToEnd.Tests.Entities;
using RlsSchema.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace RlsSchema.EndToEnd.Tests;

/// <summary>Enums stored by name, written and read through the generated repository.</summary>
public sealed class EnumByNameRepositoryTests(PostgresCluster cluster) : DatabaseTest(cluster)
{
    [Fact]
    public async Task The_repository_writes_and_reads_enums_stored_by_name()
    {
        var alice = Db.NewUser("Alice");

        var inserted = await AsAsync(alice, s => new SupportTicketRepository(s).InsertAsync(new SupportTicket { Priority = TicketPriority.High }));
        var stored = await Db.OwnerQueryAsync<(string, string?)>("SELECT priority, escalation FROM support_tickets WHERE id = @id", new { id = inserted.Id });
        var updated = await AsAsync(alice, s => new SupportTicketRepository(s).UpdateAsync(
            new SupportTicket { Id = inserted.Id, OwnerId = alice.Id, Priority = TicketPriority.Low, Escalation = TicketPriority.High }));
        var read = await AsAsync(alice, s => new SupportTicketRepository(s).GetAsync(inserted.Id));

        Assert.Equal(TicketPriority.High, inserted.Priority);
        Assert.Null(inserted.Escalation);
        Assert.Equal(("High", (string?)null), stored.Single());
        Assert.Equal(TicketPriority.Low, updated?.Priority);
        Assert.Equal(TicketPriority.High, read?.Escalation);
    }

    [Fact]
    public async Task A_value_that_is_no_member_of_the_enum_is_refused()
    {
        var alice = Db.NewUser("Alice");

        var unknown = await Assert.ThrowsAnyAsync<global::Npgsql.PostgresException>(() =>
            AsAsync(alice, s => new SupportTicketRepository(s).InsertAsync(new SupportTicket { Priority = (TicketPriority)7 })));
        var refused = await Assert.ThrowsAsync<global::Npgsql.PostgresException>(() => Db.OwnerExecuteAsync("INSERT INTO support_tickets (owner_id, priority) VALUES ('x', 'high')"));

        Assert.Equal("23502", unknown.SqlState);
        Assert.Equal("23514", refused.SqlState);
    }
}
