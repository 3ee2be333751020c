using System.Collections.Generic;

namespace RlsSchema.Npgsql.Explain;

/// <summary>What to explain: may this session run this command on this row of this table?</summary>
/// <param name="Table">The table, <c>name</c> or <c>schema.name</c>.</param>
/// <param name="Command">SELECT, INSERT, UPDATE or DELETE (any case).</param>
/// <param name="Role">The session's role: the authenticated role for a token, the anonymous role without one.</param>
/// <param name="ClaimsJson">The validated token's payload, as a session sets it, or null for a session without a token.</param>
/// <param name="Key">The row's primary key value as text, for SELECT, UPDATE and DELETE.</param>
/// <param name="Values">Column values (as text, or null) of the row to insert, or the columns an update sets.</param>
internal sealed record AccessQuestion(string Table, string Command, string Role, string? ClaimsJson, string? Key, IReadOnlyDictionary<string, string?>? Values);

/// <summary>One policy that applies to the session's role and command, and what its condition gave on the row.</summary>
/// <param name="Name">The policy.</param>
/// <param name="Permissive">Whether it is permissive (one must pass) rather than restrictive (each must pass).</param>
/// <param name="Clause">USING (the rows the command sees) or WITH CHECK (the rows it writes).</param>
/// <param name="For">The command the policy is for, when it is checked for another one (SELECT, for an UPDATE's or DELETE's row).</param>
/// <param name="Condition">The condition as PostgreSQL prints it; null when the policy has none (every row).</param>
/// <param name="Passed">Whether it was true on the row.</param>
/// <param name="Error">The error PostgreSQL raised evaluating it, if it did.</param>
/// <param name="FalsePart">When a condition of several <c>AND</c> parts was false, the first part that was.</param>
internal sealed record PolicyCheck(string Name, bool Permissive, string Clause, string? For, string? Condition, bool Passed, string? Error, string? FalsePart = null)
{
    /// <summary>How the verdict names it when it was false: <c>`name` USING was false</c>, and the part that was.</summary>
    public string WasFalse => $"`{Name}` {Clause} was false" + (FalsePart is null ? "" : $" ({FalsePart} is false)");
}
