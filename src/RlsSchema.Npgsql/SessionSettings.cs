namespace RlsSchema.Npgsql;

/// <summary>
/// The role a kind of session runs in, the option that named it (for errors that say what to change), and whether the
/// session switches to it: a service session runs as its login role and sets neither role nor claims. When the login role
/// is the session's role (Neon's <c>authenticated</c> login), there is nothing to switch: only the claims are set. A
/// read-only session's transactions are <c>READ ONLY</c> on any host, on a primary too, so that it behaves as on a standby.
/// </summary>
internal sealed record SessionSettings(string Role, string Option, bool SwitchesRole = true, bool LoginIsRole = false, bool ReadOnly = false)
{
    // Parameter names a caller's SQL is unlikely to use; the values are always parameters, never spliced in.
    public const string RoleParameter = "__rls_role";
    public const string ClaimsParameter = "__rls_claims";
    public const string SubjectParameter = "__rls_sub";

    private const string SetClaims =
        "set_config('request.jwt.claims', @" + ClaimsParameter + ", true), set_config('request.jwt.claim.sub', @" + SubjectParameter + ", true)";

    /// <summary>The statement sent ahead of the session's first statement of each transaction.</summary>
    public string Statement { get; } =
        "SELECT " + (LoginIsRole ? "" : "set_config('role', @" + RoleParameter + ", true), ") + SetClaims
        + (ReadOnly ? ", set_config('transaction_read_only', 'on', true)" : "") + ";\n";
}
