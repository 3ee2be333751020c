extern alias generator;

using System.Linq;
using System.Threading.Tasks;
using Npgsql;
using generator::RlsSchema.Generator.Emitting;
using generator::RlsSchema.Generator.Migrations;
using generator::RlsSchema.Generator.Model;
using generator::RlsSchema.Schema;
using RlsSchema.Npgsql;
using Xunit;
using static RlsSchema.Migrations.Tests.Models;

namespace RlsSchema.Migrations.Tests;

/// <summary>
/// A composite primary key (EF Core's <c>[PrimaryKey(nameof(A), nameof(B))]</c>) in the model, the snapshot, the
/// script, a migration and the catalog, on a real PostgreSQL.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CompositeKeyMigrationTests(PostgresFixture fixture)
{
    private static readonly PolicyModel Read = Policy("read", "SELECT", "true");

    // The key is (user_id, account_id): the attribute's order, not the columns' declaration order.
    private static EntityModel Members(bool composite = true) => Entity("account_members", [
        .. composite ? new ColumnModel[0] : [Key()],
        Column("account_id", "bigint") with { IsKey = composite, KeyOrder = 1 },
        Column("user_id", "text") with { IsKey = composite, KeyOrder = 0 },
        Column("role", "text"),
    ], [Read]);

    [Fact]
    public void The_model_keeps_the_keys_column_order_and_its_snapshot_needs_no_migration()
    {
        var model = DatabaseModelBuilder.Build(SchemaOf(Members()), []);

        var read = SnapshotJson.Read(SnapshotJson.Write(model));

        Assert.Equal(["user_id", "account_id"], model.Tables.Single().PrimaryKey);
        Assert.Equal(["user_id", "account_id"], read.Tables.Single().PrimaryKey);
        Assert.True(MigrationPlan.Between(read, model).IsEmpty);
    }

    [Fact]
    public async Task The_script_creates_the_table_with_the_composite_key_and_the_catalog_reads_it_back()
    {
        var model = DatabaseModelBuilder.Build(SchemaOf(Members()), []);
        var database = await fixture.Server.CreateDatabaseAsync();
        await Migrations.ExecuteAsync(database.OwnerConnectionString, ScriptWriter.Write(model));
        await Migrations.ExecuteAsync(database.OwnerConnectionString,
            "INSERT INTO account_members VALUES (1, 'user_a', 'owner'), (1, 'user_b', 'member'), (2, 'user_a', 'member')");

        string? duplicate = await SqlStateAsync(database.OwnerConnectionString, "INSERT INTO account_members VALUES (1, 'user_a', 'member')");
        string? nullPart = await SqlStateAsync(database.OwnerConnectionString, "INSERT INTO account_members VALUES (3, NULL, 'member')");
        await using var connection = new NpgsqlConnection(database.OwnerConnectionString);
        await connection.OpenAsync();
        var read = await global::RlsSchema.Schema.CatalogReader.ReadAsync(connection, null, global::RlsSchema.Schema.CatalogScope.Everything, default);
        var expected = global::RlsSchema.Schema.SnapshotJson.Read(SnapshotJson.Write(model));

        Assert.Equal("PRIMARY KEY (user_id, account_id)", await Migrations.ScalarAsync(database.OwnerConnectionString,
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'account_members'::regclass AND contype = 'p'"));
        Assert.Equal("23505", duplicate);
        Assert.Equal("23502", nullPart);
        Assert.Equal(["user_id", "account_id"], read.Tables.Single(t => t.Name == "account_members").PrimaryKey);
        Assert.True(global::RlsSchema.Schema.MigrationPlan.Between(read, expected).IsEmpty);
    }

    [Fact]
    public async Task A_surrogate_key_replaced_by_a_composite_one_migrates_and_keeps_the_rows()
    {
        var migrations = Migrations.From([(SchemaOf(Members(composite: false)), []), (SchemaOf(Members()), [])]);
        var database = await fixture.Server.CreateDatabaseAsync();
        await using var migrator = new RlsMigrator(database.OwnerConnectionString);
        await migrator.MigrateAsync(migrations[..1]);
        await Migrations.ExecuteAsync(database.OwnerConnectionString,
            "INSERT INTO account_members (account_id, user_id, role) VALUES (1, 'user_a', 'owner'), (1, 'user_b', 'member')");
        await migrator.MigrateAsync(migrations);

        Assert.Equal(2, migrations.Count);
        Assert.Contains("ADD PRIMARY KEY (user_id, account_id);", migrations[1].Sql);
        Assert.Equal("PRIMARY KEY (user_id, account_id)", await Migrations.ScalarAsync(database.OwnerConnectionString,
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'account_members'::regclass AND contype = 'p'"));
        Assert.Equal(2L, await Migrations.ScalarAsync(database.OwnerConnectionString, "SELECT count(*) FROM account_members"));
    }

    [Fact]
    public async Task A_membership_table_keyed_by_tenant_and_member_gives_each_member_the_tenants_of_their_rows()
    {
        var memberships = Memberships() with
        {
            Columns = Memberships().Columns.Where(c => !c.IsKey)
                .Select(c => c with { IsKey = true, KeyOrder = c.ColumnName == "org_id" ? 0 : 1 }).ToImmutableEquatableArray(),
        };
        var model = SchemaOf(memberships,
            Entity("orgs", [Key(), Column("name", "text")], [Policy("members-read", "SELECT", "id::text = ANY (ARRAY(SELECT auth.member_tenants()::text))")]));
        var database = await fixture.Server.CreateDatabaseAsync();
        await Migrations.ExecuteAsync(database.OwnerConnectionString, SqlScriptEmitter.Emit(model));
        await Migrations.ExecuteAsync(database.OwnerConnectionString, """
            INSERT INTO orgs (id, name) OVERRIDING SYSTEM VALUE VALUES (1, 'Acme'), (2, 'Globex'), (3, 'Initech');
            INSERT INTO memberships (org_id, user_id) VALUES (1, 'member-1'), (2, 'member-1'), (2, 'member-2');
            """);

        await using var data = database.CreateDataSource(fixture.Issuer.ValidationOptions);
        await using var first = await data.OpenSessionAsync(fixture.Issuer.IssueToken("member-1"));
        var firstSees = await first.QueryAsync<string>("SELECT name FROM orgs ORDER BY id", null, default);
        await using var second = await data.OpenSessionAsync(fixture.Issuer.IssueToken("member-2"));
        var secondSees = await second.QueryAsync<string>("SELECT name FROM orgs ORDER BY id", null, default);

        Assert.Equal("PRIMARY KEY (org_id, user_id)", await Migrations.ScalarAsync(database.OwnerConnectionString,
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'memberships'::regclass AND contype = 'p'"));
        Assert.Equal(["Acme", "Globex"], firstSees);
        Assert.Equal(["Globex"], secondSees);
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
