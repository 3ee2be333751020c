using System;

namespace RlsSchema.Npgsql.Tests;

/// <summary>A clock a test moves by hand, for expiry checks that should not wait.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
