using System.Collections.Generic;

namespace RlsSchema.Generator.Emitting
{
    /// <summary>
    /// The <c>auth</c> functions the script creates where <c>pg_session_jwt</c> is missing, and the roles end users'
    /// queries run as: one list for the script and the migration snapshot.
    /// </summary>
    internal static class AuthFunctions
    {
        private const string ClaimsBody = "SELECT coalesce(nullif(current_setting('request.jwt.claims', true), ''), 'null')::jsonb";

        /// <summary>The session roles, in the order the script creates them.</summary>
        public static readonly IReadOnlyList<string> Roles = new[] { "authenticated", "anonymous" };

        /// <summary>
        /// Each function: its signature, return type, SQL body (which may span lines), and whether the create script
        /// replaces an existing definition (unless <c>pg_session_jwt</c> owns it) rather than keeping it.
        /// </summary>
        public static readonly IReadOnlyList<(string Signature, string Returns, string Body, bool Replace)> All = new[]
        {
            ("auth.session()", "jsonb", ClaimsBody, false),
            ("auth.jwt()", "jsonb", ClaimsBody, false),
            // The subject's own setting first (no JSON to parse per call), else the claims.
            ("auth.user_id()", "text", "SELECT coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''), auth.session() ->> 'sub')", true),
            ("auth.uid()", "uuid", "SELECT CASE WHEN (auth.session() ->> 'sub') ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'\n        THEN (auth.session() ->> 'sub')::uuid END", false),
        };

        /// <summary>The language and attributes every function is declared with.</summary>
        public const string Attributes = "LANGUAGE sql STABLE PARALLEL SAFE";
    }
}
