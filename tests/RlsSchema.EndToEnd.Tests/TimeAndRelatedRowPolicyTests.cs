using System;
using System.Linq;
using System.Threading.Tasks;
using RlsSchema.EndToEnd.Tests.Entities;
using RlsSchema.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace RlsSchema.EndToEnd.Tests;

/// <summary>Typed policies over the current time and over a related row compared with this row, on real rows.</summary>
public sealed class TimeAndRelatedRowPolicyTests(PostgresCluster cluster) : DatabaseTest(cluster)
{
    private async Task<long> InvitationAsync(string email, string age, string lastDay) =>
        (await Db.OwnerQueryAsync<long>(
            $"INSERT INTO account_invitations (email, created_at, last_day) VALUES (@email, now() - interval '{age}', (now() AT TIME ZONE 'UTC')::date + {lastDay}) RETURNING id",
            new { email })).Single();

    private async Task<long> AccountAsync(string owner, string? billing) =>
        (await Db.OwnerQueryAsync<long>(
            "INSERT INTO accounts (name, primary_owner_user_id, billing_user_id) VALUES ('Acme', @owner, @billing) RETURNING id", new { owner, billing })).Single();

    private async Task<long> MemberAsync(long account, string user, string? invitedBy) =>
        (await Db.OwnerQueryAsync<long>(
            "INSERT INTO account_members (account_id, user_id, invited_by) VALUES (@account, @user, @invitedBy) RETURNING id", new { account, user, invitedBy })).Single();

    [Fact]
    public async Task An_invitation_older_than_24_hours_or_past_its_last_day_is_invisible()
    {
        var alice = Db.NewUser("Alice");
        long fresh = await InvitationAsync("fresh@example.com", "23 hours", "0");
        long stale = await InvitationAsync("stale@example.com", "25 hours", "3");
        long ended = await InvitationAsync("ended@example.com", "1 hour", "-1");

        var visible = await AsAsync(alice, s => new InvitationRepository(s).ListAsync());

        Assert.Contains(visible, i => i.Id == fresh);
        Assert.DoesNotContain(visible, i => i.Id == stale);
        Assert.DoesNotContain(visible, i => i.Id == ended);
        Assert.Equal(3L, (await Db.OwnerQueryAsync<long>("SELECT count(*) FROM account_invitations WHERE id IN (@fresh, @stale, @ended)", new { fresh, stale, ended })).Single());
    }

    [Fact]
    public async Task A_member_who_is_the_accounts_primary_owner_is_filtered()
    {
        var alice = Db.NewUser("Alice");
        var bob = Db.NewUser("Bob");
        long account = await AccountAsync(alice.Id, billing: null);
        long owner = await MemberAsync(account, alice.Id, invitedBy: null);
        long member = await MemberAsync(account, bob.Id, invitedBy: alice.Id);

        var visible = await AsAsync(bob, s => new AccountMemberRepository(s).ListAsync());

        Assert.Contains(visible, m => m.Id == member);
        Assert.DoesNotContain(visible, m => m.Id == owner);
    }

    [Fact]
    public async Task Equality_with_a_related_rows_column_treats_null_as_equal_to_null_as_CSharp_does()
    {
        var alice = Db.NewUser("Alice");
        long withoutBilling = await AccountAsync(alice.Id, billing: null);
        long withBilling = await AccountAsync(alice.Id, billing: "carol");
        long nullAndNull = await MemberAsync(withoutBilling, "dan", invitedBy: null);
        long nullAndCarol = await MemberAsync(withBilling, "erin", invitedBy: null);
        long carolAndCarol = await MemberAsync(withBilling, "frank", invitedBy: "carol");
        long aliceAndCarol = await MemberAsync(withBilling, "grace", invitedBy: alice.Id);

        foreach (long id in new[] { nullAndNull, nullAndCarol, carolAndCarol, aliceAndCarol })
        {
            await AsAsync(alice, s => new AccountMemberRepository(s).DeleteAsync(id));
        }

        var left = await Db.OwnerQueryAsync<long>("SELECT id FROM account_members WHERE id = ANY(@ids) ORDER BY id", new { ids = new[] { nullAndNull, nullAndCarol, carolAndCarol, aliceAndCarol } });
        Assert.Equal([nullAndCarol, aliceAndCarol], left);
    }
}
