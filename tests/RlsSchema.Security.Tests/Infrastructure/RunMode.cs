using System;

namespace RlsSchema.Security.Tests.Infrastructure;

/// <summary>
/// How hard the suite pushes. CI mode keeps the whole project under a few minutes on two cores;
/// <c>RLS_SECURITY_LONG=1</c> runs the long mode; <c>RLS_SECURITY_SEED</c> replays a CsCheck seed.
/// </summary>
public static class RunMode
{
    /// <summary>True when <c>RLS_SECURITY_LONG</c> is set to anything but empty or 0.</summary>
    public static bool Long { get; } =
        Environment.GetEnvironmentVariable("RLS_SECURITY_LONG") is { Length: > 0 } v && v != "0";

    /// <summary>A CsCheck seed to replay, or null for a fresh random one.</summary>
    public static string? Seed { get; } =
        Environment.GetEnvironmentVariable("RLS_SECURITY_SEED") is { Length: > 0 } s ? s : null;

    /// <summary>Operations the model-based test runs at least.</summary>
    public static int ModelOperations => Long ? 250_000 : 20_000;

    /// <summary>Operations the model-based test runs at least through an EF Core context.</summary>
    public static int EfModelOperations => Long ? 50_000 : 4_000;

    /// <summary>Queries the concurrency test runs at least.</summary>
    public static int ConcurrentQueries => Long ? 200_000 : 20_000;

    /// <summary>Operations the model-based test runs at least through PgBouncer.</summary>
    public static int PooledModelOperations => Long ? 100_000 : 4_000;

    /// <summary>Queries the concurrency test runs at least through PgBouncer.</summary>
    public static int PooledConcurrentQueries => Long ? 200_000 : 12_000;

    /// <summary>Random hostile entity declarations on top of the fixed corpus.</summary>
    public static int RandomEntities => Long ? 500 : 60;
}
