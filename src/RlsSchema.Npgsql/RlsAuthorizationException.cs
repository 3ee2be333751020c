using System;

namespace RlsSchema.Npgsql;

/// <summary>
/// PostgreSQL refused a statement for the session's user: a row-level security policy rejected a row
/// (<c>new row violates row-level security policy</c>) or the role lacks a privilege. SQLSTATE <c>42501</c>.
/// The statement had no effect.
/// </summary>
public sealed class RlsAuthorizationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="sqlState">The PostgreSQL SQLSTATE code.</param>
    /// <param name="message">What PostgreSQL said.</param>
    /// <param name="tableName">The table involved, when PostgreSQL named it.</param>
    /// <param name="innerException">The underlying <c>PostgresException</c>.</param>
    public RlsAuthorizationException(string sqlState, string message, string? tableName, Exception? innerException)
        : base(message, innerException)
    {
        SqlState = sqlState;
        TableName = tableName;
    }

    /// <summary>The PostgreSQL SQLSTATE code, <c>42501</c> (insufficient_privilege).</summary>
    public string SqlState { get; }

    /// <summary>The table involved, when PostgreSQL named it.</summary>
    public string? TableName { get; }
}
