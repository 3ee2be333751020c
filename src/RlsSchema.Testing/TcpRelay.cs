using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace RlsSchema.Testing;

/// <summary>
/// A loopback TCP relay in front of a server that counts round trips (each time a client speaks after the server
/// has answered) and can cut every relayed connection, to test what a client sends and how it survives a broken network.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Pair, byte> _pairs = new();
    private readonly Task _accepting;
    private long _roundTrips;
    private long _connections;

    private TcpRelay(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync(_stopping.Token);
    }

    /// <summary>The loopback port clients connect to.</summary>
    public int Port { get; }

    /// <summary>How many times a client sent data after the server had last spoken (or first), on all connections.</summary>
    public long RoundTrips => Interlocked.Read(ref _roundTrips);

    /// <summary>How many client connections were accepted.</summary>
    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>Starts a relay to the host and port of <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <returns>The relay; dispose it.</returns>
    public static TcpRelay StartFor(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return new TcpRelay(builder.Host ?? "127.0.0.1", builder.Port);
    }

    /// <summary>The same connection string, pointed at this relay.</summary>
    /// <param name="connectionString">An Npgsql connection string for the relayed server.</param>
    /// <returns>The rewritten connection string.</returns>
    public string Rewrite(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = Port }.ConnectionString;

    /// <summary>Sets <see cref="RoundTrips"/> to zero.</summary>
    public void ResetCounters() => Interlocked.Exchange(ref _roundTrips, 0);

    /// <summary>Cuts every relayed connection at once, as a failing network would; new connections are still relayed.</summary>
    public void BreakConnections()
    {
        foreach (var pair in _pairs.Keys)
        {
            pair.Close();
        }
    }

    /// <summary>Stops relaying and closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        BreakConnections();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _connections);
            _ = RelayAsync(client, cancellationToken);
        }
    }

    private async Task RelayAsync(TcpClient client, CancellationToken cancellationToken)
    {
        var server = new TcpClient { NoDelay = true };
        client.NoDelay = true;
        var pair = new Pair(client, server);
        _pairs.TryAdd(pair, 0);
        try
        {
            await server.ConnectAsync(_targetHost, _targetPort, cancellationToken).ConfigureAwait(false);
            var clientStream = client.GetStream();
            var serverStream = server.GetStream();
            await Task.WhenAny(
                PumpAsync(clientStream, serverStream, pair, fromClient: true, cancellationToken),
                PumpAsync(serverStream, clientStream, pair, fromClient: false, cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or System.IO.IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            _pairs.TryRemove(pair, out _);
            pair.Close();
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, Pair pair, bool fromClient, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                if (fromClient && Interlocked.Exchange(ref pair.LastSpeaker, Pair.Client) != Pair.Client)
                {
                    Interlocked.Increment(ref _roundTrips);
                }
                else if (!fromClient)
                {
                    Interlocked.Exchange(ref pair.LastSpeaker, Pair.Server);
                }

                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or System.IO.IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private sealed class Pair(TcpClient client, TcpClient server)
    {
        public const int Client = 1;
        public const int Server = 2;
        public int LastSpeaker;

        public void Close()
        {
            client.Close();
            server.Close();
        }
    }
}
