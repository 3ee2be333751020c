namespace RlsSchema.Testing;

/// <summary>
/// A table's command the matrix leaves untested: no persona is ever allowed it (though a permissive policy allows some
/// rows), no persona is ever denied it, or there is no row to try it on.
/// </summary>
public sealed class PolicyMatrixGap
{
    internal PolicyMatrixGap(string table, string command, string reason)
    {
        Table = table;
        Command = command;
        Reason = reason;
    }

    /// <summary>The table.</summary>
    public string Table { get; }

    /// <summary>The command.</summary>
    public string Command { get; }

    /// <summary>Why it is untested, e.g. <c>never denied</c>.</summary>
    public string Reason { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Table} {Command}: {Reason}";
}
