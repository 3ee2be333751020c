using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace RlsSchema.Testing;

/// <summary>
/// A throwaway PgBouncer in transaction pooling mode in front of a <see cref="PostgresServer"/>, run from Debian's
/// <c>pgbouncer</c> package (installed with apt-get when missing and the process runs as root) on a free loopback port,
/// from a temporary folder (as the OS user <c>postgres</c> when running as root, since PgBouncer refuses root). Clients log in with their PostgreSQL passwords (SCRAM): PgBouncer
/// looks each login role's secret up in <c>pg_shadow</c> as the server's administrator (<c>auth_query</c>), so the roles
/// <see cref="PostgresServer.CreateDatabaseAsync"/> creates work through it at once; an administrator without a password
/// (on a server that trusts it) is let in without one. Every client's transactions share
/// at most <see cref="ServerConnections"/> server connections per database and role, as behind Neon's pooled endpoint.
/// </summary>
/// <remarks>
/// PgBouncer 1.18 (Debian 12's) does not keep protocol-level prepared statements apart per client: sessions notice the
/// pooler and prepare nothing through it, and a connection string that asks for preparation (<c>Max Auto Prepare</c>
/// above 0) is refused with an error.
/// </remarks>
public sealed class PgBouncer : IAsyncDisposable
{
    private const string Package = "pgbouncer";
    private const string FolderPrefix = "pgbouncer-";
    private const string ConfigFile = "pgbouncer.ini";
    private const string PidFile = "pgbouncer.pid";
    private const string LogFile = "pgbouncer.log";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly string _binary;
    private readonly string? _runAs;
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly string _authUser;
    private int _cleanedUp;

    private PgBouncer(string binary, string root, string? runAs, string targetHost, int targetPort, string authUser, int serverConnections)
    {
        _binary = binary;
        _authUser = authUser;
        Root = root;
        _runAs = runAs;
        _targetHost = targetHost;
        _targetPort = targetPort;
        ServerConnections = serverConnections;
        Port = LocalCluster.FreePort();
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>Finalizer: stops a PgBouncer that was never disposed.</summary>
    ~PgBouncer()
    {
        Cleanup();
    }

    /// <summary>The loopback port clients connect to.</summary>
    public int Port { get; private set; }

    /// <summary>Server connections PgBouncer opens at most for each database and role (<c>default_pool_size</c>).</summary>
    public int ServerConnections { get; }

    private string Root { get; }

    /// <summary>
    /// Starts PgBouncer in front of <paramref name="server"/>, in transaction pooling mode.
    /// </summary>
    /// <param name="server">The server to pool; its administrator (a superuser: it reads <c>pg_shadow</c>) looks passwords up for PgBouncer.</param>
    /// <param name="serverConnections">Server connections at most per database and role.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running pooler; dispose it.</returns>
    /// <exception cref="InvalidOperationException">
    /// PgBouncer is not installed and could not be (as root, with apt-get), or did not start; the message says why.
    /// </exception>
    public static async Task<PgBouncer> StartAsync(PostgresServer server, int serverConnections = 4, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentOutOfRangeException.ThrowIfLessThan(serverConnections, 1);
        var binary = await FindOrInstallAsync(cancellationToken).ConfigureAwait(false);

        var admin = new NpgsqlConnectionStringBuilder(server.ConnectionString);
        var runAs = LocalCluster.UnprivilegedUser();
        var baseFolder = await PrivateFolders.BaseAsync(runAs, cancellationToken).ConfigureAwait(false);
        foreach (var folder in await PrivateFolders.AbandonedAsync(baseFolder, FolderPrefix, runAs, cancellationToken).ConfigureAwait(false))
        {
            StopImmediately(folder, runAs);
            LocalCluster.DeleteFolder(folder);
        }

        // The folder (0700, in the private base folder) holds the administrator's password in userlist.txt.
        var root = await PrivateFolders.CreateAsync(baseFolder, FolderPrefix, runAs, cancellationToken).ConfigureAwait(false);
        var authUser = admin.Username ?? "postgres";
        var bouncer = new PgBouncer(binary, root, runAs, admin.Host ?? "127.0.0.1", admin.Port, authUser, serverConnections);
        try
        {
            // The administrator logs in to the server to run auth_query; the file holds only that login. Every other role
            // logs in with its password (SCRAM); the administrator too, unless the server lets it in without one.
            await File.WriteAllTextAsync(
                Path.Combine(root, "userlist.txt"),
                $"{UserListQuote(authUser)} {UserListQuote(admin.Password ?? "")}\n",
                cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(
                Path.Combine(root, "hba.conf"),
                (string.IsNullOrEmpty(admin.Password) ? $"host all {UserListQuote(authUser)} 127.0.0.1/32 trust\n" : "")
                + "host all all 127.0.0.1/32 scram-sha-256\n",
                cancellationToken).ConfigureAwait(false);
            if (runAs is not null)
            {
                await ProcessRunner.RunAsync("chown", ["-R", $"{runAs}:", root], null, cancellationToken).ConfigureAwait(false);
            }

            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await bouncer.ResumeAsync(cancellationToken).ConfigureAwait(false);
                    return bouncer;
                }
                catch (InvalidOperationException) when (attempt < 3)
                {
                    // Another process may have taken the port between probing and binding it.
                    bouncer.Port = LocalCluster.FreePort();
                }
            }
        }
        catch
        {
            bouncer.Cleanup();
            throw;
        }
    }

    /// <summary>
    /// The same connection string, pointed at this pooler: host and port change, nothing else. Plain Npgsql connections
    /// through it should not prepare statements (<c>Max Auto Prepare</c> unset or 0); <c>No Reset On Close=true</c> saves
    /// a statement on each connection's reuse.
    /// </summary>
    /// <param name="connectionString">An Npgsql connection string for the pooled server.</param>
    /// <returns>The rewritten connection string.</returns>
    public string Rewrite(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = Port }.ConnectionString;

    /// <summary>
    /// Stops PgBouncer at once (SIGTERM, PgBouncer 1.18's immediate shutdown): every client and server connection is
    /// closed mid-flight, and transactions open on them roll back. The port stays reserved for <see cref="ResumeAsync"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels waiting for the process to end.</param>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (ReadPid() is not { } pid)
        {
            return;
        }

        await ProcessRunner.RunAsync("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)], _runAs, cancellationToken).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (LocalCluster.IsAlive(pid))
        {
            await Task.Delay(20, timeout.Token).ConfigureAwait(false);
        }
    }

    /// <summary>Starts PgBouncer (again) on <see cref="Port"/>, and returns once it accepts connections.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="InvalidOperationException">PgBouncer did not start; the message holds its log.</exception>
    public async Task ResumeAsync(CancellationToken cancellationToken = default)
    {
        await File.WriteAllTextAsync(Path.Combine(Root, ConfigFile), Config(), cancellationToken).ConfigureAwait(false);
        var logBefore = ReadLog().Length;
        await ProcessRunner.RunAsync(_binary, ["-d", "-q", Path.Combine(Root, ConfigFile)], _runAs, cancellationToken).ConfigureAwait(false);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port, timeout.Token).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new InvalidOperationException($"PgBouncer did not accept connections on port {Port} within {StartTimeout.TotalSeconds:0} s. Its log:\n{ReadLog()}");
            }

            // The pid file appears once PgBouncer has gone to the background; a fatal error ends it before or after that.
            if (ReadPid() is { } pid && !LocalCluster.IsAlive(pid) || ReadLog()[logBefore..].Contains(" FATAL ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"PgBouncer exited while starting on port {Port}. Its log:\n{ReadLog()}");
            }

            await Task.Delay(20, timeout.Token).ConfigureAwait(false);
        }
    }

    /// <summary>PgBouncer's log: connections it refused, server connections it lost.</summary>
    /// <returns>The log text.</returns>
    public string ReadLog()
    {
        try
        {
            return File.ReadAllText(Path.Combine(Root, LogFile));
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>Stops PgBouncer and removes its folder.</summary>
    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        Cleanup();
        return ValueTask.CompletedTask;
    }

    // Where installed (on PATH or in the usual folders), else Debian's package where this process may install it.
    private static async Task<string> FindOrInstallAsync(CancellationToken cancellationToken)
    {
        var failure = await SystemPackages.TryInstallAsync(Package, () => SystemPackages.Find(Package) is not null, cancellationToken).ConfigureAwait(false);
        return SystemPackages.Find(Package) ?? throw new InvalidOperationException(
            $"PgBouncer is not installed, and installing it failed: {failure}. Install it with: {SystemPackages.InstallCommand(Package)}");
    }

    private static string UserListQuote(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static void StopImmediately(string root, string? runAs)
    {
        var pidPath = Path.Combine(root, PidFile);
        if (!File.Exists(pidPath) || ReadPid(pidPath) is not { } pid || !LocalCluster.IsAlive(pid) || !RunsFrom(pid, root))
        {
            return;
        }

        // SIGTERM is PgBouncer 1.18's immediate shutdown; wait for the listening socket to close with the process.
        foreach (var signal in new[] { "-TERM", "-KILL" })
        {
            ProcessRunner.RunQuietly("kill", [signal, pid.ToString(CultureInfo.InvariantCulture)], runAs, TimeSpan.FromSeconds(10));
            for (var waited = 0; waited < 250 && LocalCluster.IsAlive(pid); waited++)
            {
                Thread.Sleep(20);
            }

            if (!LocalCluster.IsAlive(pid))
            {
                return;
            }
        }
    }

    private static int? ReadPid(string path)
    {
        try
        {
            return int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // Signal only a PgBouncer started with this folder's configuration: a dead one's pid may belong to another process by now.
    private static bool RunsFrom(int pid, string root)
    {
        try
        {
            var arguments = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline").Split('\0');
            return arguments.Contains(Path.Combine(root, ConfigFile), StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private int? ReadPid() => ReadPid(Path.Combine(Root, PidFile));

    private string Config() => string.Join('\n',
        "[databases]",
        $"* = host={_targetHost} port={_targetPort.ToString(CultureInfo.InvariantCulture)}",
        "",
        "[pgbouncer]",
        "listen_addr = 127.0.0.1",
        $"listen_port = {Port.ToString(CultureInfo.InvariantCulture)}",
        "unix_socket_dir =",
        "pool_mode = transaction",
        $"default_pool_size = {ServerConnections.ToString(CultureInfo.InvariantCulture)}",
        "min_pool_size = 0",
        "reserve_pool_size = 0",
        "max_client_conn = 500",
        "auth_type = hba",
        $"auth_hba_file = {Path.Combine(Root, "hba.conf")}",
        $"auth_file = {Path.Combine(Root, "userlist.txt")}",
        "auth_query = SELECT usename, passwd FROM pg_catalog.pg_shadow WHERE usename = $1",
        $"auth_user = {_authUser}",
        "server_login_retry = 1",
        "log_connections = 0",
        "log_disconnections = 0",
        $"logfile = {Path.Combine(Root, LogFile)}",
        $"pidfile = {Path.Combine(Root, PidFile)}",
        "");

    private void Cleanup()
    {
        if (Interlocked.Exchange(ref _cleanedUp, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        StopImmediately(Root, _runAs);
        LocalCluster.DeleteFolder(Root);
    }

    private void OnProcessExit(object? sender, EventArgs e) => Cleanup();
}
