extern alias generator;

using System.Linq;
using System.Threading.Tasks;
using Npgsql;
using generator::RlsSchema.Generator.Migrations;
using generator::RlsSchema.Generator.Model;
using generator::RlsSchema.Schema;
using RlsSchema.Npgsql;
using Xunit;
using static RlsSchema.Migrations.Tests.Models;

namespace RlsSchema.Migrations.Tests;

/// <summary>
/// A foreign key of two columns referencing a composite primary key, in the model, the snapshot, the script, a
/// migration and the catalog, on a real PostgreSQL.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CompositeForeignKeyMigrationTests(PostgresFixture fixture)
{
    private static readonly PolicyModel Read = Policy("read", "SELECT", "true");

    // Keyed (user_id, account_id), not in the columns' declaration order.
    private static readonly EntityModel Members = Entity("account_members", [
        Column("account_id", "bigint", property: "AccountId") with { IsKey = true, KeyOrder = 1 },
        Column("user_id", "text", property: "UserId") with { IsKey = true, KeyOrder = 0 },
    ], [Read]);

    private static EntityModel Badges(bool withForeignKey = true) => Entity("badges", [
        Key(),
        Column("member_user_id", "text", property: "MemberUserId"),
        Column("member_account_id", "bigint", property: "MemberAccountId"),
    ], [Read]) with
    {
        ForeignKeys = withForeignKey
            ? new[]
            {
                new ForeignKeyModel
                {
                    PropertyNames = new[] { "MemberUserId", "MemberAccountId" }.ToImmutableEquatableArray(),
                    NavigationName = "Member",
                    PrincipalEntity = Members.FullyQualifiedName,
                    OnDelete = generator::RlsSchema.ReferentialAction.Cascade,
                },
            }.ToImmutableEquatableArray()
            : ImmutableEquatableArray<ForeignKeyModel>.Empty,
    };

    [Fact]
    public void The_model_keeps_every_column_of_the_foreign_key_in_the_keys_order_and_its_snapshot_needs_no_migration()
    {
        var model = DatabaseModelBuilder.Build(SchemaOf(Members, Badges()), []);

        var read = SnapshotJson.Read(SnapshotJson.Write(model));
        var key = read.Tables.Single(t => t.Name == "badges").ForeignKeys.Single();

        Assert.Equal("badges_member_user_id_member_account_id_fkey", key.Name);
        Assert.Equal(["member_user_id", "member_account_id"], key.Columns);
        Assert.Equal(["user_id", "account_id"], key.ReferencedColumns);
        Assert.True(MigrationPlan.Between(read, model).IsEmpty);
    }

    [Fact]
    public async Task A_row_referencing_no_member_is_refused_and_the_catalog_reads_the_key_back_as_the_model_has_it()
    {
        var model = DatabaseModelBuilder.Build(SchemaOf(Members, Badges()), []);
        var database = await fixture.Server.CreateDatabaseAsync();
        await Migrations.ExecuteAsync(database.OwnerConnectionString, ScriptWriter.Write(model));
        await Migrations.ExecuteAsync(database.OwnerConnectionString, """
            INSERT INTO account_members VALUES (1, 'user_a'), (2, 'user_b');
            INSERT INTO badges (member_user_id, member_account_id) VALUES ('user_a', 1);
            """);

        // Each column exists in some member row, but not together: only the pair is a reference.
        string? dangling = await SqlStateAsync(database.OwnerConnectionString, "INSERT INTO badges (member_user_id, member_account_id) VALUES ('user_a', 2)");
        await Migrations.ExecuteAsync(database.OwnerConnectionString, "DELETE FROM account_members WHERE user_id = 'user_a'");
        await using var connection = new NpgsqlConnection(database.OwnerConnectionString);
        await connection.OpenAsync();
        var read = await global::RlsSchema.Schema.CatalogReader.ReadAsync(connection, null, global::RlsSchema.Schema.CatalogScope.Everything, default);
        var expected = global::RlsSchema.Schema.SnapshotJson.Read(SnapshotJson.Write(model));

        Assert.Equal("23503", dangling);
        Assert.Equal(0L, await Migrations.ScalarAsync(database.OwnerConnectionString, "SELECT count(*) FROM badges"));
        Assert.Equal("FOREIGN KEY (member_user_id, member_account_id) REFERENCES account_members(user_id, account_id) ON DELETE CASCADE",
            await Migrations.ScalarAsync(database.OwnerConnectionString,
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'badges'::regclass AND contype = 'f'"));
        Assert.True(global::RlsSchema.Schema.MigrationPlan.Between(read, expected).IsEmpty);
    }

    [Fact]
    public async Task A_composite_foreign_key_added_by_a_migration_is_created_and_dropped_with_its_navigation()
    {
        var migrations = Migrations.From([(SchemaOf(Members, Badges(withForeignKey: false)), []), (SchemaOf(Members, Badges()), []), (SchemaOf(Members, Badges(withForeignKey: false)), [])]);
        var database = await fixture.Server.CreateDatabaseAsync();
        await using var migrator = new RlsMigrator(database.OwnerConnectionString);
        await migrator.MigrateAsync(migrations[..2]);
        string? dangling = await SqlStateAsync(database.OwnerConnectionString, "INSERT INTO badges (member_user_id, member_account_id) VALUES ('nobody', 9)");
        await migrator.MigrateAsync(migrations);

        Assert.Contains("FOREIGN KEY (member_user_id, member_account_id) REFERENCES account_members (user_id, account_id)", migrations[1].Sql);
        Assert.Contains("DROP CONSTRAINT", migrations[2].Sql);
        Assert.Equal("23503", dangling);
        Assert.Equal(0L, await Migrations.ScalarAsync(database.OwnerConnectionString, "SELECT count(*) FROM pg_constraint WHERE conrelid = 'badges'::regclass AND contype = 'f'"));
    }

    private static async Task<string?> SqlStateAsync(string connectionString, string sql)
    {
        try
        {
            await Migrations.ExecuteAsync(connectionString, sql);
            return null;
        }
        catch (PostgresException e)
        {
            return e.SqlState;
        }
    }
}
