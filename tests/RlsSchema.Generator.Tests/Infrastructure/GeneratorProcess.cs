using System;
using System.Diagnostics;
using System.IO;
using RlsSchema.Tests.Generation;
using Xunit;

namespace RlsSchema.Generator.Tests.Infrastructure;

/// <summary>
/// Runs the generator in a process of its own: this test assembly started with <c>dotnet</c>. Each process hashes
/// strings with its own random seed, so two processes that print the same script show that no hash order leaks
/// into the output.
/// </summary>
public static class GeneratorProcess
{
    private const string Command = "script";

    /// <summary>The script the generator writes for <see cref="Entities.All"/>, as one process writes it.</summary>
    /// <param name="StringHash">This process's hash code of a fixed string, to show the seeds differ.</param>
    /// <param name="Sql">The script.</param>
    public sealed record Output(int StringHash, string Sql);

    /// <summary>Writes the hash line and the script to standard output.</summary>
    public static int Main(string[] args)
    {
        if (args.Length != 1 || args[0] != Command)
        {
            Console.Error.WriteLine("usage: dotnet RlsSchema.Generator.Tests.dll " + Command);
            return 2;
        }

        Console.Out.Write(HashOfFixedString() + "\n" + GeneratorHarness.Run(Entities.All).Sql);
        return 0;
    }

    /// <summary>This process's hash code of a fixed string.</summary>
    public static int HashOfFixedString() => "RlsSchema".GetHashCode();

    /// <summary>Starts this assembly in a new process and reads what it writes.</summary>
    public static Output Run()
    {
        string assembly = typeof(GeneratorProcess).Assembly.Location;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add(Command);

        using Process process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the generator process did not finish within two minutes");
        Assert.True(process.ExitCode == 0, "the generator process failed: " + error.Result);
        int newline = output.IndexOf('\n', StringComparison.Ordinal);
        return new Output(int.Parse(output.Substring(0, newline), System.Globalization.CultureInfo.InvariantCulture), output.Substring(newline + 1));
    }
}
