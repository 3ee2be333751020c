using Npgsql;

namespace RlsSchema.Npgsql;

/// <summary>
/// The role a kind of session runs in, the option that named it (for errors that say what to change), and whether the
/// session switches to it: a service session runs as its login role and sets neither role nor claims. When the login role
/// is the session's role (Neon's <c>authenticated</c> login), there is nothing to switch: only the claims are set. A
/// read-only session's transactions are <c>READ ONLY</c> on any host, on a primary too, so that it behaves as on a standby.
/// With <paramref name="SubjectOnly"/> the session sets <c>request.jwt.claim.sub</c> alone, not the token's whole payload
/// as <c>request.jwt.claims</c>: only when nothing the session runs reads another claim (see
/// <see cref="RlsDataSourceBuilder.UseClaimsRead"/>). Build a variant with the constructor, not <c>with</c>, which would
/// copy the <see cref="Statement"/> of the original.
/// </summary>
internal sealed record SessionSettings(
    string Role, string Option, bool SwitchesRole = true, bool LoginIsRole = false, bool ReadOnly = false, bool SubjectOnly = false)
{
    /// <summary>
    /// The statement run ahead of the session's first statement of each transaction, as its own command of the same batch.
    /// Its positional parameters are the role (left out when the login role is the session's role), the claims (left out
    /// when only the subject is set), the subject; a read-only session also makes the transaction read only.
    /// </summary>
    public string Statement { get; } =
        "SELECT "
        + (LoginIsRole ? "" : "set_config('role', $1, true), ")
        + (SubjectOnly ? "" : "set_config('request.jwt.claims', $" + (LoginIsRole ? 1 : 2) + ", true), ")
        + "set_config('request.jwt.claim.sub', $" + ((LoginIsRole ? 1 : 2) + (SubjectOnly ? 0 : 1)) + ", true)"
        + (ReadOnly ? ", set_config('transaction_read_only', 'on', true)" : "");

    /// <summary>
    /// The settings as one command with typed positional parameters in the order <see cref="Statement"/> numbers them: the
    /// one place a session's settings are built, for its own batches and for any other client that runs as the session.
    /// </summary>
    /// <param name="claims">The token's payload (JSON), or an empty string for no user.</param>
    /// <param name="subject">The token's <c>sub</c>, or null for no user.</param>
    /// <returns>A new command; add it ahead of the session's statement.</returns>
    public NpgsqlBatchCommand Command(string claims, string? subject)
    {
        var command = new NpgsqlBatchCommand(Statement);
        if (!LoginIsRole)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Role });
        }

        if (!SubjectOnly)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = claims });
        }

        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = subject ?? "" });
        return command;
    }
}
