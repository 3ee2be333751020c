using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using RlsSchema.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace RlsSchema.EndToEnd.Tests;

/// <summary>The Todos sample run as a new user runs it: a wrong setting ends in a message that names it, not a stack trace.</summary>
public sealed class SampleSettingsTests
{
    [Theory]
    [InlineData("postgres://postgres:wrong@127.0.0.1:1/todos", "127.0.0.1:1")]
    [InlineData("postgres://postgres@127.0.0.1:notaport/todos", "malformed")]
    [InlineData("Host=127.0.0.1;Flavour=strawberry", "Npgsql connection string")]
    public async Task A_wrong_database_url_is_named_with_what_was_tried_and_no_stack_trace(string url, string tried)
    {
        var (exitCode, output) = await RunSampleAsync(("DATABASE_URL", url));

        Assert.Equal(1, exitCode);
        Assert.Contains("DATABASE_URL", output, StringComparison.Ordinal);
        Assert.Contains(tried, output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sample_runs_with_a_path_that_lacks_the_system_directories()
    {
        var (exitCode, output) = await RunSampleAsync(("DATABASE_URL", null), ("PATH", "/usr/local/bin:/usr/bin:/bin"));

        Assert.True(exitCode == 0, output);
    }

    private static async Task<(int ExitCode, string Output)> RunSampleAsync(params (string Name, string? Value)[] environment)
    {
        // The host that runs these tests, so that a PATH given to the sample need not lead to it.
        var dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(SampleOutput.TodosAssembly);
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout + await stderr);
    }
}
