using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace RlsSchema.Cli;

/// <summary>The user's project: where it is, where its migrations live, and what its build wrote.</summary>
internal sealed class ProjectInfo
{
    private ProjectInfo(string path, string migrationsDirectory, string outputDirectory)
    {
        Path = path;
        MigrationsDirectory = migrationsDirectory;
        OutputDirectory = outputDirectory;
    }

    /// <summary>The project file.</summary>
    public string Path { get; }

    /// <summary>The migrations folder (<c>RlsSchemaMigrationsDir</c>, default <c>Migrations</c> beside the project).</summary>
    public string MigrationsDirectory { get; }

    /// <summary>The folder the build writes <c>schema.sql</c>, <c>pending.sql</c> and <c>model.json</c> to.</summary>
    public string OutputDirectory { get; }

    /// <summary>Finds the project as <c>dotnet ef</c> does: the given file, the only project in the given folder, or the only one in the current folder.</summary>
    public static async Task<ProjectInfo> LocateAsync(string? project, CancellationToken cancellationToken)
    {
        var path = Resolve(project);
        var properties = await GetPropertiesAsync(path, cancellationToken).ConfigureAwait(false);
        var directory = System.IO.Path.GetDirectoryName(path)!;
        var migrations = properties.GetValueOrDefault("RlsSchemaMigrationsDir") is { Length: > 0 } dir ? dir : "Migrations";
        var script = properties.GetValueOrDefault("RlsSchemaScriptPath") is { Length: > 0 } s
            ? s
            : System.IO.Path.Combine(properties.GetValueOrDefault("OutDir") ?? "bin", "rls", "schema.sql");
        if (properties.GetValueOrDefault("RlsSchemaMigrationsDir") is not { Length: > 0 })
        {
            throw new CliException($"Project '{path}' does not use RlsSchema.Generator (it has no RlsSchemaMigrationsDir property); add the RlsSchema.Generator package to it.");
        }

        return new ProjectInfo(
            path,
            System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, migrations)),
            System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, script)))!);
    }

    /// <summary>Builds the project, so that its build writes the model's script, pending SQL and snapshot.</summary>
    public async Task BuildAsync(ToolConsole console, CancellationToken cancellationToken)
    {
        console.Progress($"Building {Path} ...");
        await BuildAsync(incremental: true, cancellationToken).ConfigureAwait(false);

        // A build that skipped compiling (nothing changed since a build that did not write the files) writes nothing.
        if (!File.Exists(System.IO.Path.Combine(OutputDirectory, "model.json")))
        {
            await BuildAsync(incremental: false, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task BuildAsync(bool incremental, CancellationToken cancellationToken)
    {
        string[] arguments = incremental
            ? ["build", Path, "-nologo", "-v:q", "-clp:NoSummary;ErrorsOnly"]
            : ["build", Path, "-nologo", "-v:q", "-clp:NoSummary;ErrorsOnly", "--no-incremental"];
        var (exitCode, output) = await RunDotnetAsync(arguments, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            var errors = output.Split('\n').Select(l => l.Trim()).Where(l => l.Contains(": error ", StringComparison.Ordinal)).Distinct().Take(20).ToList();
            throw new CliException("The build failed; fix these errors and run the command again:\n  "
                + (errors.Count > 0 ? string.Join("\n  ", errors) : output.Trim()));
        }
    }

    /// <summary>Reads a file the build wrote beside <c>schema.sql</c>, or null when it is not there.</summary>
    public string? ReadOutput(string fileName)
    {
        var file = System.IO.Path.Combine(OutputDirectory, fileName);
        return File.Exists(file) ? File.ReadAllText(file) : null;
    }

    private static string Resolve(string? project)
    {
        var given = project ?? Directory.GetCurrentDirectory();
        if (File.Exists(given))
        {
            return System.IO.Path.GetFullPath(given);
        }

        if (!Directory.Exists(given))
        {
            throw new CliException($"No project at '{given}': pass --project with a .csproj file or its folder.");
        }

        var projects = Directory.GetFiles(given, "*.csproj");
        return projects.Length switch
        {
            1 => System.IO.Path.GetFullPath(projects[0]),
            0 => throw new CliException($"No project found in '{System.IO.Path.GetFullPath(given)}': run the command in a project's folder or pass --project <path>."),
            _ => throw new CliException($"More than one project in '{System.IO.Path.GetFullPath(given)}' ({string.Join(", ", projects.Select(System.IO.Path.GetFileName))}): pass --project <path>."),
        };
    }

    private static async Task<Dictionary<string, string>> GetPropertiesAsync(string path, CancellationToken cancellationToken)
    {
        string[] names = ["RlsSchemaMigrationsDir", "RlsSchemaScriptPath", "OutDir"];
        var arguments = new List<string> { "msbuild", path, "-nologo" };
        arguments.AddRange(names.Select(n => "-getProperty:" + n));
        var (exitCode, output) = await RunDotnetAsync(arguments, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new CliException($"Could not read project '{path}':\n  {output.Trim()}");
        }

        try
        {
            using var json = JsonDocument.Parse(output);
            // MSBuild writes some defaults with Windows separators (OutDir is bin\Debug/...) on every platform.
            return json.RootElement.GetProperty("Properties").EnumerateObject()
                .ToDictionary(p => p.Name, p => (p.Value.GetString() ?? "").Replace('\\', System.IO.Path.DirectorySeparatorChar));
        }
        catch (JsonException)
        {
            throw new CliException($"Could not read project '{path}': dotnet msbuild answered '{output.Trim()}'.");
        }
    }

    /// <summary>The variables that may hold a database's or an issuer's credentials: the build never sees them.</summary>
    internal static readonly string[] CredentialVariables =
    [
        "DATABASE_URL", "DATABASE_AUTHENTICATED_URL", "DATABASE_SERVICE_URL", "RLS_JWKS_URL", "WORKOS_API_KEY",
        "PGPASSWORD", "PGPASSFILE", "PGSERVICEFILE", "PGSERVICE", "PGUSER", "PGHOST", "PGSSLKEY",
    ];

    private static async Task<(int ExitCode, string Output)> RunDotnetAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // MSBuild reads every environment variable as a property: a target or analyzer any dependency ships could read
        // the owner's connection. The build needs none of them.
        foreach (var name in CredentialVariables)
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start) ?? throw new CliException("Could not start 'dotnet'; is the .NET SDK on the PATH?");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return (process.ExitCode, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
    }
}
