using System.Collections.Generic;
using System.Text;

namespace RlsSchema.Npgsql.Explain;

/// <summary>Why a session may, or may not, run a command on a row: the grant, each policy's value on the row, and the verdict.</summary>
internal sealed record AccessExplanation
{
    /// <summary>The table, <c>schema.name</c>.</summary>
    public required string Table { get; init; }

    /// <summary>The command.</summary>
    public required string Command { get; init; }

    /// <summary>The session's role.</summary>
    public required string Role { get; init; }

    /// <summary>The token's subject, or null for a session without a token.</summary>
    public string? Subject { get; init; }

    /// <summary>The row, as JSON: the one the key names, or the one an insert would write; null when there is none.</summary>
    public string? Row { get; init; }

    /// <summary>Whether the role holds the command's privilege on the table.</summary>
    public required bool Granted { get; init; }

    /// <summary>Whether row-level security is on for the table.</summary>
    public required bool RowLevelSecurity { get; init; }

    /// <summary>The policies that apply to the role and command, each with its value on the row.</summary>
    public required IReadOnlyList<PolicyCheck> Policies { get; init; }

    /// <summary>Whether the command may run on the row.</summary>
    public required bool Allowed { get; init; }

    /// <summary><c>allowed: ...</c>, <c>filtered: ...</c> (the command sees no row, no error) or <c>refused: ...</c>, with the reason.</summary>
    public required string Verdict { get; init; }

    /// <summary>The explanation as the tool prints it.</summary>
    /// <returns>Lines ending with <c>\n</c>.</returns>
    public override string ToString()
    {
        var b = new StringBuilder();
        b.Append("table:   ").Append(Table).Append('\n');
        b.Append("command: ").Append(Command).Append('\n');
        b.Append("role:    ").Append(Role).Append(Subject is null ? " (no token)" : " (token of " + Subject + ")").Append('\n');
        b.Append("row:     ").Append(Row ?? "(none)").Append('\n');
        b.Append("grant:   ").Append(Granted ? Command + " granted to " + Role : "no " + Command + " privilege for " + Role).Append('\n');
        b.Append("row-level security: ").Append(RowLevelSecurity ? "on" : "off").Append('\n');
        b.Append("policies:").Append(Policies.Count == 0 ? " none for this role and command\n" : "\n");
        foreach (PolicyCheck p in Policies)
        {
            b.Append("  ").Append(p.Permissive ? "permissive  " : "restrictive ").Append(p.Name)
                .Append(p.For is null ? "" : " (" + p.For + ": the row must be visible)")
                .Append("  ").Append(p.Clause).Append(' ').Append(p.Condition is null ? "(none: every row)" : "(" + p.Condition + ")")
                .Append("  -> ").Append(p.Error is null ? (p.Passed ? "true" : "false") : "error: " + p.Error).Append('\n');
        }

        b.Append("verdict: ").Append(Verdict).Append('\n');
        b.Append("Nothing was changed: the transaction was rolled back.\n");
        return b.ToString();
    }
}
