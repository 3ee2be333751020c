using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using RlsSchema.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace RlsSchema.EndToEnd.Tests;

/// <summary>
/// The seed guide's hand-written SQL for todos is the reference: the generated script, applied to one fresh database,
/// must leave the server holding what the guide's SQL, applied to another, leaves it holding.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SeedComparisonTests(PostgresCluster cluster) : IAsyncLifetime
{
    private SchemaDatabase? _generated;
    private SchemaDatabase? _seed;

    private SchemaDatabase Generated => _generated!;
    private SchemaDatabase Seed => _seed!;

    public async Task InitializeAsync()
    {
        _generated = await cluster.SharedDatabaseAsync("generated script", _ => Task.CompletedTask, migrate: true);
        _seed = await cluster.SharedDatabaseAsync(
            "seed script",
            async db => await db.OwnerExecuteAsync(
                await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Seed", "neon-authorize-todos.sql"))),
            migrate: false);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Todos_columns_match_the_seed_except_the_not_nulls_the_csharp_types_ask_for()
    {
        var seed = await Catalog.ColumnsAsync(Seed, "todos");
        var generated = await Catalog.ColumnsAsync(Generated, "todos");

        // string Task and bool IsComplete are not nullable in C#, so the generated columns are NOT NULL where the seed's are not.
        var expected = seed.Select(c => c.Name is "task" or "is_complete" ? c with { NotNull = true } : c).ToList();
        Assert.Equal(expected, generated);
        Assert.Equal(["id", "user_id", "task", "is_complete", "inserted_at"], generated.Select(c => c.Name));
        Assert.Equal("d", generated[0].Identity);
        Assert.Equal("auth.user_id()", generated[1].Default);
    }

    [Fact]
    public async Task Todos_primary_key_and_check_constraint_match_the_seed()
    {
        var seed = await Catalog.ConstraintsAsync(Seed, "todos");
        var generated = await Catalog.ConstraintsAsync(Generated, "todos");

        Assert.Equal(seed, generated);
        Assert.Contains("c CHECK ((char_length(task) > 0))", generated);
        Assert.Contains("p PRIMARY KEY (id)", generated);
    }

    [Fact]
    public async Task Todos_row_level_security_is_enabled_as_in_the_seed()
    {
        Assert.Equal((true, false), await Catalog.RowLevelSecurityAsync(Seed, "todos"));
        Assert.Equal((true, false), await Catalog.RowLevelSecurityAsync(Generated, "todos"));
    }

    [Fact]
    public async Task Todos_policies_read_the_same_in_pg_policies_under_drizzles_names()
    {
        var seed = await Catalog.PoliciesAsync(Seed, "todos");
        var generated = await Catalog.PoliciesAsync(Generated, "todos");

        Assert.Equal(4, seed.Count);
        Assert.Equal(seed.Select(p => p with { Name = "" }), generated.Select(p => p with { Name = "" }));
        Assert.Equal(
            generated.Select(p => "crud-authenticated-policy-" + p.Command.ToLowerInvariant()),
            generated.Select(p => p.Name));
        Assert.All(generated.Where(p => p.Using is not null), p => Assert.Equal("(( SELECT auth.user_id() AS user_id) = user_id)", p.Using));
    }

    [Fact]
    public async Task Session_roles_hold_the_seeds_privileges_that_a_policy_covers_and_no_others()
    {
        var seed = await Catalog.SessionRoleGrantsAsync(Seed, "todos");
        var generated = await Catalog.SessionRoleGrantsAsync(Generated, "todos");

        // The seed grants both roles everything; only authenticated has policies on todos.
        Assert.Equal(8, seed.Count);
        Assert.Equal(seed.Where(g => g.StartsWith("authenticated:", StringComparison.Ordinal)), generated);
    }
}
