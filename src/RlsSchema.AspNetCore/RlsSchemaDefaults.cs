namespace RlsSchema.AspNetCore;

/// <summary>Names this package uses.</summary>
public static class RlsSchemaDefaults
{
    /// <summary>The authentication type of the identity a validated token gives.</summary>
    public const string AuthenticationType = "RlsSchema";

    /// <summary>The trace tag holding the session's user id (the token's <c>sub</c>) on Npgsql's activities and the request's.</summary>
    public const string UserIdTag = "enduser.id";

    /// <summary>The trace tag holding the session's database role (<c>authenticated</c> or <c>anonymous</c>).</summary>
    public const string RoleTag = "db.rls.role";
}
