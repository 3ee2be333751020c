using System;

namespace RlsSchema.Testing;

/// <summary>A policy matrix differs from its committed file: the message names each cell that changed.</summary>
public sealed class PolicyMatrixMismatchException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What differs, and how to accept the change.</param>
    public PolicyMatrixMismatchException(string message)
        : base(message)
    {
    }
}
