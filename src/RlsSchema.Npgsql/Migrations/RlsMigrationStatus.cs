using System;

namespace RlsSchema.Npgsql;

/// <summary>One migration and whether a database holds it.</summary>
/// <param name="Migration">The migration.</param>
/// <param name="AppliedAt">When it was applied, or null when it is pending.</param>
public sealed record RlsMigrationStatus(RlsMigration Migration, DateTimeOffset? AppliedAt)
{
    /// <summary>Whether the database holds the migration.</summary>
    public bool IsApplied => AppliedAt is not null;
}
