namespace RlsSchema.Npgsql;

/// <summary>
/// The role a kind of session runs in, the option that named it (for errors that say what to change), and whether the
/// session switches to it: a service session runs as its login role and sets neither role nor claims. When the login role
/// is the session's role (Neon's <c>authenticated</c> login), there is nothing to switch: only the claims are set. A
/// read-only session's transactions are <c>READ ONLY</c> on any host, on a primary too, so that it behaves as on a standby.
/// </summary>
internal sealed record SessionSettings(string Role, string Option, bool SwitchesRole = true, bool LoginIsRole = false, bool ReadOnly = false)
{
    /// <summary>
    /// The statement run ahead of the session's first statement of each transaction, as its own command of the same batch.
    /// Its positional parameters are the role (left out when the login role is the session's role), the claims, the subject;
    /// a read-only session also makes the transaction read only.
    /// </summary>
    public string Statement { get; } =
        (LoginIsRole
            ? "SELECT set_config('request.jwt.claims', $1, true), set_config('request.jwt.claim.sub', $2, true)"
            : "SELECT set_config('role', $1, true), set_config('request.jwt.claims', $2, true), set_config('request.jwt.claim.sub', $3, true)")
        + (ReadOnly ? ", set_config('transaction_read_only', 'on', true)" : "");
}
