using System.IO;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Xunit;

namespace RlsSchema.Migrations.Tests;

/// <summary>
/// The samples' scripts, now written by the schema engine's differ and SQL writer, build the same database as the
/// scripts the earlier emitter wrote (kept under ReferenceScripts/), as PostgreSQL's catalog reads them; and a second
/// run changes nothing.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ScriptEquivalenceTests(PostgresFixture fixture)
{
    [Theory]
    [InlineData("Todos", "Todos")]
    [InlineData("Todos.Web", "Todos")] // the web sample's entity is the console sample's
    [InlineData("Teams", "Teams")]
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
