using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace RlsSchema.Testing;

/// <summary>
/// Where throwaway servers keep their files: <c>rlsschema-&lt;uid&gt;</c> in the temporary folder, owned by the OS user the
/// servers run as and closed to every other user (0700), so nobody else can read a server's password file, reach its
/// Unix socket or plant a folder for the clean-up to act on. A folder inside is only ever stopped or removed when it is
/// a real folder of that user, holds the marker this class wrote, and the process that created it has exited.
/// </summary>
internal static class PrivateFolders
{
    private const string MarkerFile = "rlsschema.marker";
    private const string MarkerText = "A throwaway server's folder, made by RlsSchema.Testing; removed once its owner process has exited.\n";
    private const string OwnerPidFile = "owner.pid";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The base folder for servers run as <paramref name="runAs"/> (null: this process's user), created if missing.</summary>
    /// <exception cref="InvalidOperationException">The folder exists but is not a 0700 folder of that user (someone else planted it).</exception>
    public static Task<string> BaseAsync(string? runAs, CancellationToken cancellationToken) =>
        BaseAsync(runAs is null ? Path.GetTempPath() : "/tmp", runAs, cancellationToken);

    /// <summary>The base folder under <paramref name="parent"/>: see <see cref="BaseAsync(string?, CancellationToken)"/>.</summary>
    public static async Task<string> BaseAsync(string parent, string? runAs, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Throwaway PostgreSQL servers from local binaries run on Linux.");
        }

        var uid = await UidAsync(runAs, cancellationToken).ConfigureAwait(false);
        var path = Path.Combine(parent, "rlsschema-" + uid.ToString(CultureInfo.InvariantCulture));
        if (await StatAsync(path, cancellationToken).ConfigureAwait(false) is null)
        {
            try
            {
                Directory.CreateDirectory(path, OwnerOnly);
            }
            catch (IOException)
            {
                // Created meanwhile, by a sibling process or someone else: the checks below tell which.
            }

            // Root made it (the temporary folder's sticky bit keeps anyone else from replacing it): hand it to the server's user.
            if (runAs is not null && await StatAsync(path, cancellationToken).ConfigureAwait(false) is { Uid: 0, IsDirectory: true })
            {
                await ProcessRunner.RunAsync("chown", ["-h", $"{runAs}:", "--", path], null, cancellationToken).ConfigureAwait(false);
            }
        }

        var stat = await StatAsync(path, cancellationToken).ConfigureAwait(false);
        if (stat is not { IsDirectory: true } || stat.Value.Uid != uid || (stat.Value.Mode & 0x3F) != 0)
        {
            throw new InvalidOperationException(
                $"'{path}' is not a folder of {(runAs is null ? "this user" : $"the OS user '{runAs}'")} closed to everyone else (mode 0700), so throwaway PostgreSQL servers will not use it: another user may have made it. Remove it, or set TMPDIR to a folder of your own.");
        }

        return path;
    }

    /// <summary>Creates a new folder for one server in <paramref name="baseFolder"/>, with the marker and this process's id.</summary>
    public static async Task<string> CreateAsync(string baseFolder, string prefix, string? runAs, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Throwaway PostgreSQL servers from local binaries run on Linux.");
        }

        var root = Path.Combine(baseFolder, prefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root, OwnerOnly);
        await File.WriteAllTextAsync(Path.Combine(root, OwnerPidFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(root, MarkerFile), MarkerText, cancellationToken).ConfigureAwait(false);
        if (runAs is not null)
        {
            await ProcessRunner.RunAsync("chown", ["-R", $"{runAs}:", "--", root], null, cancellationToken).ConfigureAwait(false);
        }

        return root;
    }

    /// <summary>
    /// The folders of <paramref name="baseFolder"/> named <paramref name="prefix"/>* that are provably ours and abandoned:
    /// real folders (not links) of the servers' user, holding our marker, whose creating process has exited.
    /// </summary>
    public static async Task<IReadOnlyList<string>> AbandonedAsync(string baseFolder, string prefix, string? runAs, CancellationToken cancellationToken)
    {
        var uid = await UidAsync(runAs, cancellationToken).ConfigureAwait(false);
        var abandoned = new List<string>();
        string[] folders;
        try
        {
            folders = Directory.GetDirectories(baseFolder, prefix + "*");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return abandoned;
        }

        foreach (var folder in folders)
        {
            try
            {
                var marker = new FileInfo(Path.Combine(folder, MarkerFile));
                if (new DirectoryInfo(folder).LinkTarget is not null
                    || await StatAsync(folder, cancellationToken).ConfigureAwait(false) is not { IsDirectory: true } stat || stat.Uid != uid
                    || !marker.Exists || marker.LinkTarget is not null || marker.Length > 1024
                    || await File.ReadAllTextAsync(marker.FullName, cancellationToken).ConfigureAwait(false) != MarkerText
                    || !int.TryParse(await File.ReadAllTextAsync(Path.Combine(folder, OwnerPidFile), cancellationToken).ConfigureAwait(false), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                    || LocalCluster.IsAlive(pid))
                {
                    continue;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            abandoned.Add(folder);
        }

        return abandoned;
    }

    /// <summary>True when the process <paramref name="pid"/> runs with its working directory in <paramref name="folder"/> (the postmaster does, in its data folder).</summary>
    public static bool WorksIn(int pid, string folder)
    {
        try
        {
            return new FileInfo($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cwd").LinkTarget is { } cwd
                && string.Equals(Path.TrimEndingDirectorySeparator(cwd), Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)), StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Writes a file only the servers' user may read (0600), for a secret such as a password.</summary>
    public static async Task WriteSecretAsync(string path, string text, string? runAs, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Throwaway PostgreSQL servers from local binaries run on Linux.");
        }

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
        var stream = new FileStream(path, options);
        await using (stream.ConfigureAwait(false))
        {
            var writer = new StreamWriter(stream);
            await using (writer.ConfigureAwait(false))
            {
                await writer.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
            }
        }

        if (runAs is not null)
        {
            await ProcessRunner.RunAsync("chown", ["-h", $"{runAs}:", "--", path], null, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<int> UidAsync(string? runAs, CancellationToken cancellationToken)
    {
        var text = await ProcessRunner.RunAsync("id", runAs is null ? ["-u"] : ["-u", "--", runAs], null, cancellationToken).ConfigureAwait(false);
        return int.Parse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private static async Task<(int Uid, int Mode, bool IsDirectory)?> StatAsync(string path, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            // %f is the raw mode in hex: the type bits tell a folder from a link, which is never followed here.
            text = await ProcessRunner.RunAsync("stat", ["-c", "%u %f", "--", path], null, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            return null;
        }

        var parts = text.Trim().Split(' ');
        var raw = int.Parse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return (int.Parse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture), raw & 0xFFF, (raw & 0xF000) == 0x4000);
    }
}
