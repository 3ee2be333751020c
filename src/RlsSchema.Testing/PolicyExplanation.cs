using RlsSchema.Npgsql.Explain;

namespace RlsSchema.Testing;

/// <summary>What <see cref="PolicyExplainer"/> found: the verdict and, in <see cref="ToString"/>, every step that led to it.</summary>
public sealed class PolicyExplanation
{
    private readonly AccessExplanation _explanation;

    internal PolicyExplanation(AccessExplanation explanation) => _explanation = explanation;

    /// <summary>Whether the command may run on the row.</summary>
    public bool Allowed => _explanation.Allowed;

    /// <summary>The role the session runs in.</summary>
    public string Role => _explanation.Role;

    /// <summary>
    /// <c>allowed: ...</c>, <c>filtered: ...</c> (the statement finds no row, no error) or <c>refused: ...</c>, with the
    /// reason, such as <c>refused: no permissive policy passed; `members-read` USING was false</c>.
    /// </summary>
    public string Verdict => _explanation.Verdict;

    /// <summary>The whole explanation: table, command, role, row, grant, each policy with its value, and the verdict.</summary>
    /// <returns>Lines ending with a line feed.</returns>
    public override string ToString() => _explanation.ToString();
}
