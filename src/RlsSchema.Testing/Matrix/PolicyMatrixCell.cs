namespace RlsSchema.Testing;

/// <summary>One cell of a <see cref="PolicyMatrixResult"/>: what one persona's command did to one labelled row.</summary>
public sealed class PolicyMatrixCell
{
    internal PolicyMatrixCell(string table, string persona, string command, string row, PolicyMatrixOutcome outcome)
    {
        Table = table;
        Persona = persona;
        Command = command;
        Row = row;
        Outcome = outcome;
    }

    /// <summary>The table, bare in <c>public</c>, else <c>schema.table</c>.</summary>
    public string Table { get; }

    /// <summary>The persona's name.</summary>
    public string Persona { get; }

    /// <summary><c>SELECT</c>, <c>INSERT</c>, <c>UPDATE</c> or <c>DELETE</c>.</summary>
    public string Command { get; }

    /// <summary>The labelled row (for <c>INSERT</c>, the candidate row).</summary>
    public string Row { get; }

    /// <summary>What PostgreSQL did.</summary>
    public PolicyMatrixOutcome Outcome { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Table}: {Persona} {Command} {Row} -> {Outcome}";
}
