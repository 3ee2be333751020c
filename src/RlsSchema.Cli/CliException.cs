using System;

namespace RlsSchema.Cli;

/// <summary>A failure the user can act on: printed as its message alone, without a stack trace.</summary>
internal sealed class CliException(string message, int exitCode = 2) : Exception(message)
{
    /// <summary>The process exit code.</summary>
    public int ExitCode { get; } = exitCode;
}
