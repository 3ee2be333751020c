using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace RlsSchema.Migrations.Tests;

/// <summary>The <c>rlsschema</c> tool, run as a process, given hostile names, stray files and an owner's credentials.</summary>
public sealed class CliInputTests : IDisposable
{
    private readonly string _project = Path.Combine(Path.GetTempPath(), "rlsschema-cli-" + Guid.NewGuid().ToString("N")[..12]);

    public CliInputTests()
    {
        Directory.CreateDirectory(Path.Combine(_project, "Migrations"));
    }

    public void Dispose() => Directory.Delete(_project, recursive: true);

    [Fact]
    public async Task Migrations_add_refuses_a_name_ending_in_a_line_break_before_building()
    {
        WriteProject("Migrations");

        var (exitCode, output, error) = await RunAsync(["migrations", "add", "Evil\n", "--project", _project]);

        Assert.Equal(2, exitCode);
        Assert.Contains("is not a migration name", error);
        Assert.DoesNotContain("Building", error);
        Assert.Empty(output);
        Assert.Empty(Directory.GetFiles(Path.Combine(_project, "Migrations")));
    }

    [Theory]
    [InlineData("migrations", "list")]
    [InlineData("migrate")]
    public async Task A_stray_sql_file_in_the_migrations_folder_is_one_line_and_exit_code_2(params string[] verb)
    {
        WriteProject("Migrations");
        File.WriteAllText(Path.Combine(_project, "Migrations", "0001_Initial.sql"), "SELECT 1;\n");
        File.WriteAllText(Path.Combine(_project, "Migrations", "notes.sql"), "-- scratch\n");

        var (exitCode, _, error) = await RunAsync([.. verb, "--project", _project, "--connection", "Host=127.0.0.1;Port=1"]);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains("notes.sql", line);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task The_project_build_does_not_see_the_owners_credentials()
    {
        // MSBuild reads environment variables as properties: a project (or a package's targets) could read the secret.
        WriteProject("Migrations$(DATABASE_URL)$(WORKOS_API_KEY)$(PGPASSWORD)");

        var (exitCode, output, error) = await RunAsync(
            ["migrations", "list", "--project", _project],
            new() { ["DATABASE_URL"] = "Host=h;Password=owner-secret", ["WORKOS_API_KEY"] = "sk_secret", ["PGPASSWORD"] = "pg-secret" });

        Assert.Equal(0, exitCode);
        Assert.Contains("No migrations in " + Path.Combine(_project, "Migrations"), output);
        Assert.DoesNotContain("secret", output + error);
    }

    private void WriteProject(string migrationsDir) => File.WriteAllText(Path.Combine(_project, "app.csproj"), $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <RlsSchemaMigrationsDir>{migrationsDir}</RlsSchemaMigrationsDir>
          </PropertyGroup>
        </Project>
        """);

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string[] arguments, Dictionary<string, string>? environment = null)
    {
        var tool = Path.Combine(AppContext.BaseDirectory, "RlsSchema.Cli.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { tool }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("DATABASE_URL");
        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
