using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace RlsSchema.Testing;

/// <summary>The cells of a <see cref="PolicyMatrix"/> run and the commands it left untested; renders and verifies them.</summary>
public sealed class PolicyMatrixResult
{
    /// <summary>The environment variable that, set to <c>1</c>, makes <see cref="Verify"/> rewrite the committed file.</summary>
    public const string AcceptVariable = "RLS_ACCEPT_MATRIX";

    internal PolicyMatrixResult(IReadOnlyList<PolicyMatrixCell> cells, IReadOnlyList<PolicyMatrixGap> untested)
    {
        Cells = cells;
        Untested = untested;
    }

    /// <summary>Every cell, by table, persona, command and row, in the order the matrix ran them.</summary>
    public IReadOnlyList<PolicyMatrixCell> Cells { get; }

    /// <summary>The commands no persona is ever allowed or ever denied, or that have no row to try.</summary>
    public IReadOnlyList<PolicyMatrixGap> Untested { get; }

    /// <summary>
    /// The matrix as Markdown: a table per database table, personas down, command and row across, then the untested
    /// commands. Lines end with <c>\n</c>.
    /// </summary>
    /// <returns>The Markdown.</returns>
    public string ToMarkdown() => PolicyMatrixMarkdown.Render(this);

    /// <summary>The matrix as indented JSON: <c>{ "cells": [...], "untested": [...] }</c>.</summary>
    /// <returns>The JSON.</returns>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("cells");
            foreach (var cell in Cells)
            {
                json.WriteStartObject();
                json.WriteString("table", cell.Table);
                json.WriteString("persona", cell.Persona);
                json.WriteString("command", cell.Command);
                json.WriteString("row", cell.Row);
                json.WriteString("outcome", PolicyMatrixMarkdown.Word(cell.Outcome));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("untested");
            foreach (var gap in Untested)
            {
                json.WriteStartObject();
                json.WriteString("table", gap.Table);
                json.WriteString("command", gap.Command);
                json.WriteString("reason", gap.Reason);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>
    /// Compares <see cref="ToMarkdown"/> with the committed file at <paramref name="path"/>. When they differ it writes
    /// the new matrix beside it (<c>*.received.md</c>) and throws, naming each cell that changed; when the environment
    /// variable <see cref="AcceptVariable"/> is <c>1</c> it rewrites the committed file instead.
    /// </summary>
    /// <param name="path">The committed Markdown file, e.g. <c>policy-matrix.md</c> beside the project.</param>
    /// <exception cref="PolicyMatrixMismatchException">The file is missing or differs, and the change was not accepted.</exception>
    public void Verify(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var actual = ToMarkdown();
        var received = Path.ChangeExtension(path, ".received" + Path.GetExtension(path));
        var committed = File.Exists(path) ? File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal) : null;
        if (committed == actual || Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            if (committed != actual)
            {
                File.WriteAllText(path, actual);
            }

            File.Delete(received);
            return;
        }

        File.WriteAllText(received, actual);
        var accept = $"If the change is intended, run the test again with {AcceptVariable}=1 to rewrite {path}.";
        throw new PolicyMatrixMismatchException(committed is null
            ? $"There is no committed policy matrix at {path}; the new one is at {received}. {accept}"
            : $"The policy matrix differs from {path} (the new one is at {received}):\n{PolicyMatrixMarkdown.Diff(committed, actual)}\n{accept}");
    }
}
