using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Npgsql;

namespace RlsSchema.Cli;

internal static partial class Commands
{
    public static async Task<int> LintAsync(ToolConsole console, string? connection, CancellationToken cancellationToken)
    {
        await using var db = new NpgsqlConnection(PostgresConnectionString.ToNpgsql(RequireConnection(connection)));
        await db.OpenAsync(cancellationToken);
        var findings = await Linter.RunAsync(db, cancellationToken);
        foreach (var f in findings)
        {
            console.Output.WriteLine($"{Label(f.Level),-7} {f.Id}  {f.Object}");
            console.Output.WriteLine($"        {f.Detail}");
            console.Output.WriteLine($"        fix: {f.Fix}");
        }

        int errors = findings.Count(f => f.Level == LintLevel.Error);
        int warnings = findings.Count(f => f.Level == LintLevel.Warning);
        console.Output.WriteLine($"{findings.Count} finding{(findings.Count == 1 ? "" : "s")}: {errors} error{(errors == 1 ? "" : "s")}, {warnings} warning{(warnings == 1 ? "" : "s")}, {findings.Count - errors - warnings} info.");
        return errors > 0 ? 1 : 0;
    }

    private static string Label(LintLevel level) => level switch
    {
        LintLevel.Error => "ERROR",
        LintLevel.Warning => "WARN",
        _ => "INFO",
    };
}
