using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Xunit;

namespace RlsSchema.Migrations.Tests;

/// <summary>
/// The samples' scripts, now written by the schema engine's differ and SQL writer, build the same database as the
/// scripts the earlier emitter wrote (kept under ReferenceScripts/ for the Todos model, which has not changed since), as
/// PostgreSQL's catalog reads them; the Teams sample, whose model has grown past its earlier script (a composite key,
/// protected columns, time in its policies), builds exactly the model its build wrote (rls/model.json); and a second run
/// changes nothing.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ScriptEquivalenceTests(PostgresFixture fixture)
{
    [Theory]
    [InlineData("Todos", "Todos")]
    [InlineData("Todos.Web", "Todos")] // the web sample's entity is the console sample's
    public async Task A_samples_script_builds_the_database_its_earlier_script_built_and_a_second_run_changes_nothing(string sample, string referenceName)
    {
        string reference = await File.ReadAllTextAsync(Path.Combine(TestsFolder(), "ReferenceScripts", referenceName + ".schema.sql"));
        string script = await File.ReadAllTextAsync(BuiltScript(sample));
        Assert.NotEqual(reference, script);

        var before = await fixture.Server.CreateDatabaseAsync();
        await Migrations.ExecuteAsync(before.OwnerConnectionString, reference);
        var now = await fixture.Server.CreateDatabaseAsync();
        await Migrations.ExecuteAsync(now.OwnerConnectionString, script);
        var expected = await Migrations.CatalogAsync(before.OwnerConnectionString);
        var once = await Migrations.CatalogAsync(now.OwnerConnectionString);
        await Migrations.ExecuteAsync(now.OwnerConnectionString, script);
        var twice = await Migrations.CatalogAsync(now.OwnerConnectionString);

        Assert.Contains(expected, line => line.StartsWith("policy ", System.StringComparison.Ordinal));
        var differences = Migrations.Compare(expected, once);
        Assert.True(differences.Count == 0, Migrations.Describe(differences));
        Assert.Equal(once, twice);
    }

    // Policy conditions are compared by name and command, columns without their type: PostgreSQL stores conditions
    // deparsed and types by their long names, not as the script wrote them.
    [Fact]
    public async Task The_Teams_script_alone_builds_the_tables_keys_grants_and_policies_of_the_model_its_build_wrote_and_a_second_run_changes_nothing()
    {
        string script = await File.ReadAllTextAsync(BuiltScript("Teams"));
        var model = global::RlsSchema.Schema.SnapshotJson.Read(await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(BuiltScript("Teams"))!, "model.json")));

        var database = await fixture.Server.CreateDatabaseAsync();
        await Migrations.ExecuteAsync(database.OwnerConnectionString, script);
        var once = await Migrations.CatalogAsync(database.OwnerConnectionString);
        global::RlsSchema.Schema.DatabaseModel read;
        await using (var connection = new global::Npgsql.NpgsqlConnection(database.OwnerConnectionString))
        {
            await connection.OpenAsync();
            read = await global::RlsSchema.Schema.CatalogReader.ReadAsync(connection, null, global::RlsSchema.Schema.CatalogScope.Of(model), default);
        }

        await Migrations.ExecuteAsync(database.OwnerConnectionString, script);
        var twice = await Migrations.CatalogAsync(database.OwnerConnectionString);

        Assert.Equal(Shape(model), Shape(read));
        Assert.Contains(model.Tables, t => t.Name == "memberships" && t.PrimaryKey.SequenceEqual(["organization_id", "user_id"]));
        Assert.Contains(model.Tables, t => t.Name == "comments" && t.Policies.Any(p => p.Name == "authors-edit-for-fifteen-minutes"));
        Assert.Equal(once, twice);
    }

    private static string[] Shape(global::RlsSchema.Schema.DatabaseModel model) =>
    [
        .. model.Tables.SelectMany(t => new[]
            {
                "table " + t.Schema + "." + t.Name + " rls " + t.RowLevelSecurity,
                "  key (" + string.Join(", ", t.PrimaryKey) + ")",
            }
            .Concat(t.Columns.Select(c => "  column " + c.Name + (c.Nullable ? "" : " not null") + (c.Identity ? " identity" : "")))
            .Concat(t.ForeignKeys.Select(k => "  fk " + k.Name + " (" + string.Join(", ", k.Columns) + ") -> " + k.ReferencedTable + " (" + string.Join(", ", k.ReferencedColumns) + ") " + k.OnDelete))
            .Concat(t.Indexes.Select(i => "  index " + i.Name + " (" + string.Join(", ", i.Columns) + ")" + (i.Unique ? " unique" : "")))
            .Concat(t.Policies.Select(p => "  policy " + p.Name + " " + p.Command + " " + string.Join(",", p.Roles) + " " + (p.Using is null ? "-" : "using") + " " + (p.WithCheck is null ? "-" : "check")))
            .Concat(t.Grants.Select(g => "  grant " + g.Role + " " + string.Join(", ", g.Privileges)))),
        .. model.Functions.Select(f => "function " + f.Signature),
    ];

    // The build writes the script beside the sample's assembly (rls/schema.sql); the project references the samples so they are built first.
    internal static string BuiltScript(string sample)
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        string path = Path.Combine(TestsFolder(), "..", "..", "samples", sample, "bin", configuration, "net10.0", "rls", "schema.sql");
        Assert.True(File.Exists(path), "The build did not write " + path + ".");
        return path;
    }

    private static string TestsFolder([CallerFilePath] string file = "") => Path.GetDirectoryName(file)!;
}
