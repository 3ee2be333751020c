using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Testing;
using Xunit;

namespace RlsSchema.Security.Tests.EmbeddedServer;

/// <summary>
/// The embedded PostgreSQL on a shared machine, attacked by another local OS user (made with <c>useradd</c> when the
/// tests run as root; this user otherwise): it cannot log in, cannot run a program through the server, and cannot make
/// a server's start-up stop or delete anything by planting folders.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EmbeddedServerTests
{
    private const string IntruderName = "rlsschema-intruder";

    [Fact]
    public async Task Another_local_user_cannot_connect_to_the_embedded_server_nor_run_a_program_through_it()
    {
        var intruder = await IntruderAsync();
        await using var server = await PostgresServer.StartLocalAsync();
        var port = new NpgsqlConnectionStringBuilder(server.ConnectionString).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var proof = Path.Combine("/tmp", "rlsschema-proof-" + Guid.NewGuid().ToString("N"));
        var psql = Path.Combine(LocalCluster.FindBinaries()!, "psql");
        var baseFolder = await PrivateFolders.BaseAsync(LocalCluster.UnprivilegedUser(), default);
        var socket = Directory.GetFiles(baseFolder, ".s.PGSQL." + port, SearchOption.AllDirectories).Single();

        foreach (var host in new[] { "127.0.0.1", "localhost", Path.GetDirectoryName(socket)! })
        {
            var (exitCode, output) = await RunAsync(intruder, psql,
                ["-w", "-X", "-h", host, "-p", port, "-U", "postgres", "-d", "postgres", "-c", $"COPY (SELECT 1) TO PROGRAM 'id > {proof}'"]);

            Assert.True(exitCode != 0, $"{host}: {output}");
            Assert.DoesNotContain("COPY 1", output);
        }

        Assert.False(File.Exists(proof));

        // The process that started it holds the password and may do everything.
        await using var owner = new NpgsqlConnection(server.ConnectionString);
        await owner.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT rolsuper FROM pg_roles WHERE rolname = current_user", owner);
        Assert.True((bool)(await command.ExecuteScalarAsync())!);
        Assert.False(string.IsNullOrEmpty(new NpgsqlConnectionStringBuilder(server.ConnectionString).Password));
    }

    [Fact]
    public async Task Folders_another_user_planted_in_the_temp_folder_are_neither_stopped_nor_deleted_when_servers_start()
    {
        var intruder = await IntruderAsync();
        var runAs = LocalCluster.UnprivilegedUser();

        // A process of the servers' OS user, standing for the unrelated PostgreSQL server the audit's planted folder killed.
        var (_, pidText) = await RunAsync(runAs, "/bin/sh", ["-c", "sleep 300 >/dev/null 2>&1 & echo $!"]);
        var victim = int.Parse(pidText.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var planted = new List<string>();
        try
        {
            var tempRoot = runAs is null ? Path.GetTempPath() : "/tmp";
            var cluster = Path.Combine(tempRoot, "rlsschema-pg-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(Path.Combine(cluster, "data"));
            File.WriteAllText(Path.Combine(cluster, "owner.pid"), "2147483646");
            File.WriteAllText(Path.Combine(cluster, "data", "PG_VERSION"), "15\n");
            File.WriteAllText(Path.Combine(cluster, "data", "postmaster.pid"), $"{victim}\n{Path.Combine(cluster, "data")}\n");
            var bouncer = Path.Combine(tempRoot, "rlsschema-pgbouncer-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(bouncer);
            File.WriteAllText(Path.Combine(bouncer, "owner.pid"), "2147483646");
            File.WriteAllText(Path.Combine(bouncer, "pgbouncer.pid"), $"{victim}\n");
            planted.AddRange([cluster, bouncer]);
            foreach (var folder in planted.Where(_ => intruder is not null))
            {
                await RunAsync(null, "chown", ["-R", $"{intruder}:", folder]);
            }

            await using (var server = await PostgresServer.StartLocalAsync())
            {
                if (File.Exists("/usr/sbin/pgbouncer") || File.Exists("/usr/bin/pgbouncer"))
                {
                    await using var pooler = await PgBouncer.StartAsync(server, 1);
                }
            }

            Assert.True(LocalCluster.IsAlive(victim), "the planted folder made a start-up stop another process");
            Assert.All(planted, folder => Assert.True(File.Exists(Path.Combine(folder, "owner.pid")), folder + " was deleted"));
        }
        finally
        {
            await RunAsync(null, "kill", ["-KILL", victim.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            planted.Where(Directory.Exists).ToList().ForEach(folder => Directory.Delete(folder, recursive: true));
        }
    }

    [Fact]
    public async Task A_base_folder_another_user_made_or_linked_is_refused_and_left_as_it_is()
    {
        var intruder = await IntruderAsync();
        var runAs = LocalCluster.UnprivilegedUser();
        var (_, uid) = await RunAsync(null, "id", runAs is null ? ["-u"] : ["-u", runAs]);
        var parent = Directory.CreateTempSubdirectory("rlsschema-parent-").FullName;
        try
        {
            // Open to everyone, and (as root) another user's.
            var open = Path.Combine(parent, "open");
            var folder = Path.Combine(open, "rlsschema-" + uid.Trim());
            Directory.CreateDirectory(folder);
            File.SetUnixFileMode(folder, (UnixFileMode)0x1FF);
            File.WriteAllText(Path.Combine(folder, "kept"), "");
            if (intruder is not null)
            {
                await RunAsync(null, "chown", ["-R", $"{intruder}:", folder]);
            }

            // A link to a folder of the right user.
            var linked = Path.Combine(parent, "linked");
            Directory.CreateDirectory(linked);
            var target = await PrivateFolders.BaseAsync(runAs, default);
            File.CreateSymbolicLink(Path.Combine(linked, "rlsschema-" + uid.Trim()), target);

            foreach (var where in new[] { open, linked })
            {
                var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => PrivateFolders.BaseAsync(where, runAs, default));
                Assert.Contains("another user may have made it", refused.Message);
            }

            Assert.True(File.Exists(Path.Combine(folder, "kept")));
            Assert.Equal((UnixFileMode)0x1FF, File.GetUnixFileMode(folder));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    // Root: an unprivileged user of its own, neither root nor the servers' user. Otherwise this user: a stranger to the
    // server's password all the same.
    private static async Task<string?> IntruderAsync()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return null;
        }

        if ((await RunAsync(null, "id", ["-u", IntruderName])).ExitCode != 0)
        {
            await RunAsync(null, "useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", IntruderName]);
        }

        return IntruderName;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string? user, string file, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(user is null ? file : "runuser") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/" };
        foreach (var argument in (user is null ? [] : new[] { "-u", user, "--", file }).Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in new[] { "PGPASSWORD", "PGPASSFILE", "DATABASE_URL" })
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
