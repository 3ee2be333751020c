using System;
using System.IO;

namespace RlsSchema.Cli;

/// <summary>Where the tool writes: results to standard output, progress and errors to standard error.</summary>
internal sealed class ToolConsole(TextWriter output, TextWriter error)
{
    public TextWriter Output { get; } = output;

    public void Progress(string message) => error.WriteLine(message);

    public void Error(string message) => error.WriteLine("error: " + message);

    public void Warning(string message) => error.WriteLine("warning: " + message);

    public static ToolConsole Standard { get; } = new(Console.Out, Console.Error);
}
