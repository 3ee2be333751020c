using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace RlsSchema.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster in a temporary folder, run from the local binaries. When the process runs as root
/// the binaries run as the OS user <c>postgres</c> (initdb refuses root). Cleanup is registered for process exit
/// and is safe to call from a finalizer; clusters left behind by a killed process are removed by the next start.
/// </summary>
internal sealed class LocalCluster
{
    private const string FolderPrefix = "rlsschema-pg-";
    private const string OwnerPidFile = "owner.pid";
    private const string OsUser = "postgres";

    private readonly string _binDirectory;
    private readonly string? _runAs;
    private int _cleanedUp;

    private LocalCluster(string binDirectory, string root, string? runAs, int port)
    {
        _binDirectory = binDirectory;
        Root = root;
        _runAs = runAs;
        Port = port;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    public string Root { get; }

    public string DataDirectory => Path.Combine(Root, "data");

    public int Port { get; private set; }

    public static string? FindBinaries()
    {
        var candidates = new List<string>();
        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            candidates.AddRange(Directory.GetDirectories(debianRoot)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: double.TryParse(Path.GetFileName(d), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Dir));
        }

        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    private static bool OsUserExists(string name) =>
        File.Exists("/etc/passwd")
        && File.ReadLines("/etc/passwd").Any(line => line.StartsWith(name + ":", StringComparison.Ordinal));

    public static async Task<LocalCluster> CreateAndStartAsync(string binDirectory, CancellationToken cancellationToken)
    {
        var runAs = UnprivilegedUser();
        var cluster = await CreateFolderAsync(binDirectory, runAs, cancellationToken).ConfigureAwait(false);
        try
        {
            await cluster.InitAsync(cancellationToken).ConfigureAwait(false);
            await cluster.StartOnFreePortAsync(cancellationToken).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            cluster.Cleanup();
            throw;
        }
    }

    /// <summary>
    /// Takes a base backup of <paramref name="primary"/> with <c>pg_basebackup -R</c> (which writes the standby's
    /// <c>primary_conninfo</c> and <c>standby.signal</c>) into a new folder and starts it as a streaming hot standby.
    /// </summary>
    public static async Task<LocalCluster> CreateStandbyAndStartAsync(LocalCluster primary, CancellationToken cancellationToken)
    {
        var cluster = await CreateFolderAsync(primary._binDirectory, primary._runAs, cancellationToken).ConfigureAwait(false);
        try
        {
            await ProcessRunner.RunAsync(
                Path.Combine(primary._binDirectory, "pg_basebackup"),
                ["-D", cluster.DataDirectory, "-R", "-X", "stream", "--no-sync", "-h", "127.0.0.1", "-p", primary.Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres"],
                primary._runAs,
                cancellationToken).ConfigureAwait(false);
            await cluster.WritePortAsync(cancellationToken).ConfigureAwait(false);
            await cluster.StartOnFreePortAsync(cancellationToken).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            cluster.Cleanup();
            throw;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(
            Path.Combine(_binDirectory, "pg_ctl"),
            ["start", "-w", "-s", "-t", "60", "-D", DataDirectory, "-l", Path.Combine(Root, "server.log")],
            _runAs,
            cancellationToken);

    /// <summary>The OS user the binaries run as (<c>postgres</c> when this process is root), or null for this process's user.</summary>
    public string? RunAs => _runAs;

    /// <summary>Where throwaway servers get their folders: one the unprivileged OS user can reach when running as root.</summary>
    public static string TempRoot(string? runAs) => runAs is null ? Path.GetTempPath() : "/tmp";

    /// <summary>The OS user throwaway servers run as: <c>postgres</c> when this process is root, else null (this process's user).</summary>
    public static string? UnprivilegedUser() => Environment.IsPrivilegedProcess ? OsUser : null;

    public Task StopAsync(CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(
            Path.Combine(_binDirectory, "pg_ctl"),
            ["stop", "-w", "-s", "-t", "60", "-m", "fast", "-D", DataDirectory],
            _runAs,
            cancellationToken);

    public string ReadLog()
    {
        try
        {
            return File.ReadAllText(Path.Combine(Root, "server.log"));
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>Stops the server at once and deletes the folder. Idempotent; never throws.</summary>
    public void Cleanup()
    {
        if (Interlocked.Exchange(ref _cleanedUp, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        StopImmediately(_binDirectory, DataDirectory, _runAs);
        DeleteFolder(Root);
    }

    private static void StopImmediately(string binDirectory, string dataDirectory, string? runAs)
    {
        if (File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
        {
            ProcessRunner.RunQuietly(
                Path.Combine(binDirectory, "pg_ctl"),
                ["stop", "-w", "-s", "-t", "30", "-m", "immediate", "-D", dataDirectory],
                runAs,
                TimeSpan.FromSeconds(40));
        }
    }

    internal static void DeleteFolder(string root)
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static void RemoveAbandoned(string binDirectory, string tempRoot, string? runAs)
    {
        string[] folders;
        try
        {
            folders = Directory.GetDirectories(tempRoot, FolderPrefix + "*");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (var folder in folders)
        {
            try
            {
                var pidText = File.ReadAllText(Path.Combine(folder, OwnerPidFile));
                if (int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && IsAlive(pid))
                {
                    continue;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            StopImmediately(binDirectory, Path.Combine(folder, "data"), runAs);
            DeleteFolder(folder);
        }
    }

    internal static bool IsAlive(int pid)
    {
        try
        {
            // A daemon's exit leaves a zombie until init reaps it, which some container inits do slowly; it is dead.
            var stat = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat";
            if (File.Exists(stat) && File.ReadAllText(stat) is var text && text.LastIndexOf(')') is var end and > 0
                && end + 2 < text.Length && text[end + 2] is 'Z' or 'X')
            {
                return false;
            }

            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (IOException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static async Task<LocalCluster> CreateFolderAsync(string binDirectory, string? runAs, CancellationToken cancellationToken)
    {
        if (runAs is not null && !OsUserExists(runAs))
        {
            throw new InvalidOperationException(
                $"Running as root, the throwaway PostgreSQL runs as the OS user '{runAs}' (initdb refuses root), and there is no such user. Create it (useradd --system --no-create-home {runAs}), run as an ordinary user, or set DATABASE_URL to a server of your own.");
        }

        var tempRoot = TempRoot(runAs);
        RemoveAbandoned(binDirectory, tempRoot, runAs);

        var root = await OwnedFolder.CreateAsync(tempRoot, FolderPrefix, OwnerPidFile, cancellationToken).ConfigureAwait(false);
        var cluster = new LocalCluster(binDirectory, root, runAs, FreePort());
        try
        {
            if (runAs is not null)
            {
                await ProcessRunner.RunAsync("chown", [$"{runAs}:", root], null, cancellationToken).ConfigureAwait(false);
            }

            return cluster;
        }
        catch
        {
            cluster.Cleanup();
            throw;
        }
    }

    private async Task StartOnFreePortAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Another process may have taken the port between probing and binding it.
                Port = FreePort();
                await WritePortAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task InitAsync(CancellationToken cancellationToken)
    {
        await ProcessRunner.RunAsync(
            Path.Combine(_binDirectory, "initdb"),
            ["-D", DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"],
            _runAs,
            cancellationToken).ConfigureAwait(false);
        await WritePortAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WritePortAsync(CancellationToken cancellationToken)
    {
        // A standby keeps the primary_conninfo that pg_basebackup -R wrote here.
        var path = Path.Combine(DataDirectory, "postgresql.auto.conf");
        var kept = File.Exists(path)
            ? (await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false)).Where(l => l.StartsWith("primary_conninfo", StringComparison.Ordinal)).ToList()
            : [];

        // postgresql.auto.conf is read last, so these settings win; a throwaway cluster trades durability for speed.
        var settings = string.Join('\n', kept.Concat([
            "listen_addresses = '127.0.0.1'",
            $"port = {Port.ToString(CultureInfo.InvariantCulture)}",
            $"unix_socket_directories = '{Root}'",
            "fsync = off",
            "synchronous_commit = off",
            "full_page_writes = off",
            "max_connections = 200",
            "shared_buffers = 64MB",
            "log_min_messages = warning",
            "",
        ]));
        await File.WriteAllTextAsync(path, settings, cancellationToken).ConfigureAwait(false);
    }

    private void OnProcessExit(object? sender, EventArgs e) => Cleanup();
}
