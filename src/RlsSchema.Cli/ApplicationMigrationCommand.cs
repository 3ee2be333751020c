using System.IO;
using System.Threading;
using System.Threading.Tasks;
using RlsSchema.Npgsql;
using RlsSchema.Schema;

namespace RlsSchema.Cli;

internal static partial class Commands
{
    /// <summary>
    /// <c>rlsschema migrations add &lt;Name&gt; --sql</c>: the next numbered migration, empty but for its header, for SQL
    /// written by hand. It joins the ordered history and its checksum like any other; the snapshot stays as it is, so
    /// the next model migration holds only the model's changes and follows it.
    /// </summary>
    public static async Task<int> AddApplicationMigrationAsync(ToolConsole console, string name, string? project, CancellationToken cancellationToken)
    {
        RequireMigrationName(name);
        var info = await ProjectInfo.LocateAsync(project, cancellationToken);
        var existing = RlsMigrationFolder.Read(info.MigrationsDirectory);
        long id = existing.Count == 0 ? 1 : existing[^1].Id + 1;
        Directory.CreateDirectory(info.MigrationsDirectory);
        var file = Path.Combine(info.MigrationsDirectory, MigrationFiles.FileNameOf(id, name));
        await File.WriteAllTextAsync(file, MigrationFiles.ApplicationHeader, cancellationToken);
        console.Output.WriteLine($"Wrote {file}: add your SQL to it; it is applied in order with the model's migrations.");
        return 0;
    }
}
