using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Npgsql;
using RlsSchema.Npgsql.Explain;

namespace RlsSchema.Testing;

/// <summary>
/// Explains why a session may or may not run a command on a row, as <c>rlsschema explain</c> does: the role, the grant,
/// each policy for that role and command with its <c>USING</c> and <c>WITH CHECK</c> evaluated on the row with the
/// session's claims, and the verdict with the reason. Put it in a failing test's message to see which policy decided.
/// Nothing in the database changes: it all happens in a transaction that is rolled back.
/// </summary>
public static class PolicyExplainer
{
    /// <summary>Explains one command on one row.</summary>
    /// <param name="ownerConnectionString">The database's owner (it reads the row whatever the policies say, and switches to the session's role).</param>
    /// <param name="table">The table, <c>todos</c> or <c>schema.todos</c>.</param>
    /// <param name="command"><c>SELECT</c>, <c>INSERT</c>, <c>UPDATE</c> or <c>DELETE</c>.</param>
    /// <param name="claimsJson">The token's payload (JSON) as a session would set it, or null for a session without a token.</param>
    /// <param name="key">The row's primary key value, for SELECT, UPDATE and DELETE.</param>
    /// <param name="values">The new row's column values for an INSERT (the others take their defaults), or the columns an UPDATE sets.</param>
    /// <param name="role">The session's role: by default <c>authenticated</c> with claims and <c>anonymous</c> without.</param>
    /// <param name="cancellationToken">Cancels the explanation.</param>
    /// <returns>The explanation; <see cref="PolicyExplanation.ToString"/> prints it whole.</returns>
    /// <exception cref="ArgumentException">The table, command, role, key or values do not fit the database.</exception>
    public static async Task<PolicyExplanation> ExplainAsync(
        string ownerConnectionString,
        string table,
        string command,
        string? claimsJson,
        string? key = null,
        IReadOnlyDictionary<string, string?>? values = null,
        string? role = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerConnectionString);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(command);
        var question = new AccessQuestion(table, command, role ?? (claimsJson is null ? "anonymous" : "authenticated"), claimsJson, key, values);
        await using var connection = new NpgsqlConnection(PostgresConnectionString.ToNpgsql(ownerConnectionString));
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return new PolicyExplanation(await AccessExplainer.ExplainAsync(connection, question, cancellationToken).ConfigureAwait(false));
    }
}
