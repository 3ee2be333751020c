using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace RlsSchema.Benchmarks.Wire;

/// <summary>
/// A TCP relay on 127.0.0.1 between the client and PostgreSQL that counts round trips as the wire sees them.
/// On each connection, a round trip starts whenever the client sends bytes after the server last spoke (or for the
/// first time): the client had to wait for an answer before it could go on. Bytes the client sends without having
/// heard back (a pipelined batch, a message split over several segments) belong to the same round trip. This counts
/// what a network between the two would charge for, independent of how the client library frames its messages.
/// </summary>
internal sealed class RoundTripCountingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = new();
    private readonly Task _acceptLoop;
    private long _roundTrips;

    private RoundTripCountingProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    public static RoundTripCountingProxy Start(string targetHost, int targetPort) => new(targetHost, targetPort);

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Round trips on all connections since the last <see cref="Reset"/>.</summary>
    public long RoundTrips => Interlocked.Read(ref _roundTrips);

    public void Reset() => Interlocked.Exchange(ref _roundTrips, 0);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            lock (_tasks)
            {
                _tasks.Add(RelayAsync(client));
            }
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            client.NoDelay = true;
            server.NoDelay = true;
            await server.ConnectAsync(_targetHost, _targetPort, _stop.Token);
            var state = new ConnectionState();
            var clientStream = client.GetStream();
            var serverStream = server.GetStream();
            var up = PumpAsync(clientStream, serverStream, state, fromClient: true);
            var down = PumpAsync(serverStream, clientStream, state, fromClient: false);
            await Task.WhenAny(up, down);
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, ConnectionState state, bool fromClient)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }
                lock (state)
                {
                    if (fromClient)
                    {
                        if (!state.ClientSpokeLast)
                        {
                            Interlocked.Increment(ref _roundTrips);
                            state.ClientSpokeLast = true;
                        }
                    }
                    else
                    {
                        state.ClientSpokeLast = false;
                    }
                }
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or System.IO.IOException or SocketException or ObjectDisposedException)
        {
            // The other side closed; the relay ends with it.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        Task[] pending;
        lock (_tasks)
        {
            pending = _tasks.ToArray();
        }
        try
        {
            await Task.WhenAll(pending).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or System.IO.IOException or SocketException)
        {
            // Connections cut by the shutdown.
        }
        _stop.Dispose();
    }

    private sealed class ConnectionState
    {
        public bool ClientSpokeLast;
    }
}
