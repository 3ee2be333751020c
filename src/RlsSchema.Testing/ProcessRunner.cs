using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace RlsSchema.Testing;

/// <summary>Runs a command line to its end, optionally as another OS user, and reports its output when it fails.</summary>
internal static class ProcessRunner
{
    public static async Task<string> RunAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        string? runAsUser,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo
        {
            FileName = runAsUser is null ? fileName : RunUser(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        if (runAsUser is not null)
        {
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add(runAsUser);
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(fileName);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A secret goes through the environment (runuser keeps it), never the command line that every user's ps shows.
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            TryKill(process);
            throw;
        }

        // A server started in the background could hold the pipes open; don't wait for it.
        var output = await Collect(stdout).ConfigureAwait(false) + await Collect(stderr).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{fileName} {string.Join(' ', arguments)}' exited with code {process.ExitCode}{(runAsUser is null ? "" : $" (run as {runAsUser})")}:\n{output}");
        }

        return output;
    }

    public static void RunQuietly(string fileName, IReadOnlyList<string> arguments, string? runAsUser, TimeSpan timeout)
    {
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            RunAsync(fileName, arguments, runAsUser, cancel.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
        }
    }

    // runuser lives in /usr/sbin, which a non-login shell's PATH often lacks.
    private static string RunUser() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"])
            .Select(d => System.IO.Path.Combine(d, "runuser"))
            .FirstOrDefault(System.IO.File.Exists)
        ?? throw new InvalidOperationException(
            "runuser was not found on PATH or in /usr/sbin: running as root, the throwaway PostgreSQL is started as the OS user 'postgres' through runuser (util-linux). Install util-linux, run as an ordinary user, or set DATABASE_URL to a server of your own.");

    private static async Task<string> Collect(Task<string> read)
    {
        var done = await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
        return done == read ? await read.ConfigureAwait(false) : "";
    }

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }
}
