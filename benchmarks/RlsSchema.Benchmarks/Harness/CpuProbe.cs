using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using Npgsql;

namespace RlsSchema.Benchmarks.Harness;

/// <summary>CPU time spent in the measured window, by this process and by the database's server processes.</summary>
internal readonly record struct CpuUsage(TimeSpan Client, TimeSpan? Server);

/// <summary>
/// Reads the CPU time of this process and of the PostgreSQL backends serving the benchmark database (from
/// <c>/proc</c>, when the server runs on this machine). On two shared cores throughput is bounded by CPU per
/// operation, and CPU per operation moves far less than throughput when something else competes for the cores,
/// so it is the figure that explains a ratio.
/// </summary>
internal sealed class CpuProbe
{
    private static readonly double ClockTicksPerSecond = 100; // USER_HZ, 100 on every Linux this runs on
    private readonly NpgsqlDataSource _owner;

    public CpuProbe(NpgsqlDataSource owner) => _owner = owner;

    public sealed record Snapshot(TimeSpan Client, Dictionary<int, long>? ServerTicks);

    /// <summary>Takes a snapshot, synchronously: the probe runs on its own thread so that busy clients cannot delay it.</summary>
    public Snapshot Take()
    {
        var client = Process.GetCurrentProcess().TotalProcessorTime;
        if (!OperatingSystem.IsLinux())
        {
            return new Snapshot(client, null);
        }

        var ticks = new Dictionary<int, long>();
        using (var command = _owner.CreateCommand("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var pid = reader.GetInt32(0);
                if (ReadTicks(pid) is { } t)
                {
                    ticks[pid] = t;
                }
            }
        }
        // No backend readable: the server is elsewhere (DATABASE_URL) or not ours to read.
        return new Snapshot(client, ticks.Count == 0 ? null : ticks);
    }

    public static CpuUsage Between(Snapshot start, Snapshot end)
    {
        TimeSpan? server = null;
        if (start.ServerTicks is not null && end.ServerTicks is not null)
        {
            long total = 0;
            foreach (var (pid, ticks) in end.ServerTicks)
            {
                // A backend that started inside the window spent all its time there.
                total += ticks - start.ServerTicks.GetValueOrDefault(pid);
            }
            server = TimeSpan.FromSeconds(total / ClockTicksPerSecond);
        }
        return new CpuUsage(end.Client - start.Client, server);
    }

    /// <summary>utime + stime of a process, in clock ticks; null when it cannot be read.</summary>
    private static long? ReadTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may hold spaces; fields count from after it.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
