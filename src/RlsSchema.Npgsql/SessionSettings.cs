namespace RlsSchema.Npgsql;

/// <summary>
/// The role a kind of session runs in, the option that named it (for errors that say what to change), and whether the
/// session switches to it: a service session runs as its login role and sets neither role nor claims.
/// </summary>
internal sealed record SessionSettings(string Role, string Option, bool SwitchesRole = true);
