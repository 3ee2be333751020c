using System;

namespace RlsSchema.Npgsql;

/// <summary>
/// A JSON Web Token was refused. It is thrown before any connection is opened or any SQL runs, so a refused token
/// never reaches the database. Answer the request with 401 (503 for <see cref="TokenFailure.KeysUnavailable"/>).
/// </summary>
public sealed class RlsTokenException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Why the token was refused.</param>
    /// <param name="message">A description for logs; it never contains the token.</param>
    /// <param name="innerException">The underlying validation error, if any.</param>
    public RlsTokenException(TokenFailure reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>Why the token was refused.</summary>
    public TokenFailure Reason { get; }
}
