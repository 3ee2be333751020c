using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace RlsSchema.Testing;

/// <summary>
/// Finds an OS binary a test needs, and installs the distribution's package for it where the process may: as root on a
/// system with apt-get. Installs run one at a time in this process, and wait for another process's apt or dpkg to let go
/// of its lock rather than failing on it.
/// </summary>
internal static class SystemPackages
{
    private static readonly string[] CommonFolders = ["/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin", "/bin", "/sbin"];
    private static readonly TimeSpan LockWait = TimeSpan.FromMinutes(10);
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>The first of <paramref name="names"/> found on PATH or in the usual binary folders, or null.</summary>
    public static string? Find(params string[] names) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(CommonFolders)
            .SelectMany(folder => names.Select(name => Path.Combine(folder, name)))
            .FirstOrDefault(File.Exists);

    /// <summary>The one command that installs <paramref name="package"/> on this system, for an error message.</summary>
    public static string InstallCommand(string package) =>
        (Environment.IsPrivilegedProcess ? "" : "sudo ") + $"apt-get install -y {package}";

    /// <summary>
    /// Installs <paramref name="package"/> with apt-get (its package lists are fetched first if it is unknown), unless
    /// <paramref name="installed"/> already holds once this process's turn comes.
    /// </summary>
    /// <returns>Null once <paramref name="installed"/> holds; otherwise why the package could not be installed.</returns>
    public static async Task<string?> TryInstallAsync(string package, Func<bool> installed, CancellationToken cancellationToken = default)
    {
        if (installed())
        {
            return null;
        }

        if (!Environment.IsPrivilegedProcess || Find("apt-get") is null)
        {
            return "this process may not install packages (it is not root, or there is no apt-get)";
        }

        await OneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string? failure = null;
            foreach (var refreshLists in new[] { false, true })
            {
                if (installed())
                {
                    return null;
                }

                try
                {
                    if (refreshLists)
                    {
                        await AptGetAsync(["update", "-q"], cancellationToken).ConfigureAwait(false);
                    }

                    await AptGetAsync(["install", "-y", "-q", package], cancellationToken).ConfigureAwait(false);
                }
                catch (InvalidOperationException e)
                {
                    failure = e.Message;
                }
            }

            return installed() ? null : failure ?? $"apt-get installed {package}, but the binary is still missing";
        }
        finally
        {
            OneAtATime.Release();
        }
    }

    // apt-get waits up to DPkg::Lock::Timeout for the locks another apt or dpkg holds; an older apt fails at once with
    // "Could not get lock", so that is retried until the same wait has passed.
    private static async Task AptGetAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + LockWait;
        string[] command =
        [
            "DEBIAN_FRONTEND=noninteractive", "apt-get", "-o", $"DPkg::Lock::Timeout={(int)LockWait.TotalSeconds}", .. arguments,
        ];
        while (true)
        {
            try
            {
                await ProcessRunner.RunAsync("env", command, null, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (InvalidOperationException e) when (e.Message.Contains("Could not get lock", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
