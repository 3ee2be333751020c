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

        /// <summary>Each function: its signature, return type and SQL body (which may span lines).</summary>
        public static readonly IReadOnlyList<(string Signature, string Returns, string Body)> All = new[]
        {
            ("auth.session()", "jsonb", ClaimsBody),
            ("auth.jwt()", "jsonb", ClaimsBody),
            ("auth.user_id()", "text", "SELECT auth.session() ->> 'sub'"),
            ("auth.uid()", "uuid", "SELECT CASE WHEN (auth.session() ->> 'sub') ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'\n        THEN (auth.session() ->> 'sub')::uuid END"),
        };

        /// <summary>The language and attributes every function is declared with.</summary>
        public const string Attributes = "LANGUAGE sql STABLE PARALLEL SAFE";
    }
}
