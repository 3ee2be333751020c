using System.Linq;
using RlsSchema.Schema;
using Xunit;

namespace RlsSchema.Generator.Tests;

/// <summary>The access report read from the differ's operations: each change widens, narrows or changes one role's access.</summary>
public sealed class AccessReportTests
{
    private const string Owner = "(select auth.user_id()) = user_id";

    private static readonly PolicyDefinition OwnerRead = Policy("read", "SELECT", Owner);

    [Fact]
    public void A_permissive_policy_added_widens_for_its_role_and_command()
    {
        var report = Report(Table(OwnerRead), Table(OwnerRead, Policy("write", "INSERT", null, Owner)));

        var line = Assert.Single(report.Changes);
        Assert.Equal(("public.todos", "authenticated", "INSERT", AccessEffect.Widens), Key(line));
        Assert.Contains("permissive policy \"write\" added", line.Reasons[0]);
    }

    [Fact]
    public void A_read_that_becomes_always_true_widens_and_the_reverse_narrows()
    {
        var open = Report(Table(OwnerRead), Table(Policy("read", "SELECT", "true")));
        var closed = Report(Table(Policy("read", "SELECT", "true")), Table(OwnerRead));

        Assert.Equal(("public.todos", "authenticated", "SELECT", AccessEffect.Widens), Key(Assert.Single(open.Changes)));
        Assert.Contains("lets more rows through: USING was (" + Owner + "), is now (true)", open.Changes[0].Reasons[0]);
        Assert.Equal(AccessEffect.Narrows, Assert.Single(closed.Changes).Effect);
    }

    [Fact]
    public void A_condition_that_gains_an_OR_widens_and_one_that_gains_an_AND_narrows()
    {
        var or = Report(Table(OwnerRead), Table(Policy("read", "SELECT", Owner + " OR is_public")));
        var and = Report(Table(OwnerRead), Table(Policy("read", "SELECT", "(" + Owner + ") AND NOT archived")));

        Assert.Equal(AccessEffect.Widens, Assert.Single(or.Changes).Effect);
        Assert.Equal(AccessEffect.Narrows, Assert.Single(and.Changes).Effect);
    }

    [Fact]
    public void Any_other_condition_change_is_a_change_to_review()
    {
        var report = Report(Table(OwnerRead), Table(Policy("read", "SELECT", "(select auth.user_id()) = author_id")));

        var line = Assert.Single(report.Changes);
        Assert.Equal(AccessEffect.Changes, line.Effect);
        Assert.Contains("review it", line.Reasons[0]);
    }

    [Fact]
    public void A_restrictive_policy_removed_or_made_always_true_widens_and_one_added_narrows()
    {
        var restrictive = Policy("not-archived", "ALL", "NOT archived") with { Permissive = false };
        var removed = Report(Table(OwnerRead, restrictive), Table(OwnerRead));
        var madeTrue = Report(Table(OwnerRead, restrictive), Table(OwnerRead, restrictive with { Using = "true" }));
        var added = Report(Table(OwnerRead), Table(OwnerRead, restrictive));

        Assert.Equal(4, removed.Changes.Count);
        Assert.All(removed.Changes, c => Assert.Equal(AccessEffect.Widens, c.Effect));
        Assert.All(madeTrue.Changes, c => Assert.Equal(AccessEffect.Widens, c.Effect));
        Assert.Equal(new[] { "SELECT", "INSERT", "UPDATE", "DELETE" }, added.Changes.Select(c => c.Command));
        Assert.All(added.Changes, c => Assert.Equal(AccessEffect.Narrows, c.Effect));
    }

    [Fact]
    public void A_permissive_policy_removed_or_a_role_taken_off_it_narrows_and_a_role_put_on_it_widens()
    {
        var removed = Report(Table(OwnerRead), Table());
        var roleAdded = Report(Table(OwnerRead), Table(OwnerRead with { Roles = Roles("anonymous", "authenticated") }));
        var roleRemoved = Report(Table(OwnerRead with { Roles = Roles("anonymous", "authenticated") }), Table(OwnerRead));

        Assert.Equal(AccessEffect.Narrows, Assert.Single(removed.Changes).Effect);
        var widened = Assert.Single(roleAdded.Changes);
        Assert.Equal(("public.todos", "anonymous", "SELECT", AccessEffect.Widens), Key(widened));
        Assert.True(widened.IsAnonymous);
        Assert.Equal(("public.todos", "anonymous", "SELECT", AccessEffect.Narrows), Key(Assert.Single(roleRemoved.Changes)));
    }

    [Fact]
    public void A_grant_added_widens_and_one_revoked_narrows()
    {
        var granted = Report(Table(OwnerRead), Table(OwnerRead) with { Grants = new[] { Grant("authenticated", "DELETE", "SELECT") }.ToImmutableEquatableArray() });
        var revoked = Report(Table(OwnerRead) with { Grants = new[] { Grant("authenticated", "DELETE", "SELECT") }.ToImmutableEquatableArray() }, Table(OwnerRead));

        Assert.Equal(new[] { ("DELETE", AccessEffect.Widens), ("SELECT", AccessEffect.Widens) }, granted.Changes.Select(c => (c.Command, c.Effect)).OrderBy(c => c.Command));
        Assert.Equal(2, revoked.Changes.Count);
        Assert.All(revoked.Changes, c => Assert.Equal(AccessEffect.Narrows, c.Effect));
    }

    [Fact]
    public void Changes_that_pull_both_ways_on_one_command_are_a_change_to_review()
    {
        var restrictive = Policy("not-archived", "SELECT", "NOT archived") with { Permissive = false };
        var report = Report(Table(OwnerRead), Table(Policy("read", "SELECT", "true"), restrictive));

        var line = Assert.Single(report.Changes);
        Assert.Equal(AccessEffect.Changes, line.Effect);
        Assert.Equal(2, line.Reasons.Count);
    }

    [Fact]
    public void A_renamed_table_keeps_its_policies_and_an_unchanged_model_reports_nothing()
    {
        var renamed = Table(OwnerRead) with { Name = "tasks", RenamedFrom = "todos" };

        Assert.Empty(Report(Table(OwnerRead), renamed).Changes);
        Assert.Empty(Report(Table(OwnerRead), Table(OwnerRead)).Changes);
        Assert.Contains("no change to who may do what", Report(Table(OwnerRead), Table(OwnerRead)).ToComment());
    }

    [Fact]
    public void The_comment_block_has_one_line_per_table_role_and_command()
    {
        var report = Report(Table(OwnerRead), Table(Policy("read", "SELECT", "true")));

        Assert.Equal(
            AccessReport.Heading + "\n--   widens public.todos authenticated SELECT: permissive policy \"read\" lets more rows through: USING was (" + Owner + "), is now (true)\n\n",
            report.ToComment());
    }

    private static AccessReport Report(TableModel before, TableModel after)
    {
        DatabaseModel old = Model(before);
        return AccessReport.Of(old, ModelDiffer.Diff(old, Model(after)));
    }

    private static (string, string, string, AccessEffect) Key(AccessChange c) => (c.Table.ToString(), c.Role, c.Command, c.Effect);

    private static DatabaseModel Model(TableModel table) => DatabaseModel.Empty with { Roles = Roles("anonymous", "authenticated"), Tables = new[] { table }.ToImmutableEquatableArray() };

    private static ImmutableEquatableArray<string> Roles(params string[] roles) => roles.ToImmutableEquatableArray();

    private static GrantDefinition Grant(string role, params string[] privileges) => new() { Role = role, Privileges = privileges.ToImmutableEquatableArray() };

    private static PolicyDefinition Policy(string name, string command, string? @using, string? withCheck = null) => new()
    {
        Name = name,
        Command = command,
        Permissive = true,
        Roles = Roles("authenticated"),
        Using = @using,
        WithCheck = withCheck,
    };

    private static TableModel Table(params PolicyDefinition[] policies) => new()
    {
        Schema = "public",
        Name = "todos",
        Columns = new[] { new ColumnDefinition { Name = "id", Type = "bigint", Nullable = false, Identity = true } }.ToImmutableEquatableArray(),
        PrimaryKey = Roles("id"),
        Checks = ImmutableEquatableArray<CheckDefinition>.Empty,
        Indexes = ImmutableEquatableArray<IndexDefinition>.Empty,
        RowLevelSecurity = true,
        ForceRowLevelSecurity = false,
        Policies = policies.ToImmutableEquatableArray(),
        ForeignKeys = ImmutableEquatableArray<ForeignKeyDefinition>.Empty,
        Grants = ImmutableEquatableArray<GrantDefinition>.Empty,
    };
}
