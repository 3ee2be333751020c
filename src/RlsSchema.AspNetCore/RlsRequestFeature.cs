using RlsSchema.Npgsql;

namespace RlsSchema.AspNetCore;

/// <summary>What the request's token gave: set by <c>UseRlsSchema()</c> before the endpoint runs.</summary>
internal sealed class RlsRequestFeature(ValidatedToken? token, SessionRoles roles)
{
    /// <summary>The validated token, or null for a request without an Authorization header.</summary>
    public ValidatedToken? Token { get; } = token;

    public string? UserId => Token?.Subject;

    /// <summary>The role the request's session runs as, as the application configured the role names.</summary>
    public string Role => Token is null ? roles.Anonymous : roles.Authenticated;
}
