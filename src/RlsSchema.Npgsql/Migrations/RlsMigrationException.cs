using System;

namespace RlsSchema.Npgsql;

/// <summary>
/// The migrator refused to apply migrations: the database's history does not fit the migrations the
/// application holds. The message says what differs and what to do.
/// </summary>
public sealed class RlsMigrationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What differs and what to do.</param>
    public RlsMigrationException(string message)
        : base(message)
    {
    }

    internal RlsMigrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
