using System.Collections.Generic;

namespace RlsSchema.Schema
{
    /// <summary>
    /// The <c>auth</c> functions the script creates where <c>pg_session_jwt</c> is missing: one list for the script and
    /// the migration snapshot.
    /// </summary>
    internal static class AuthFunctions
    {
        private const string ClaimsBody = "SELECT coalesce(nullif(current_setting('request.jwt.claims', true), ''), 'null')::jsonb";

        // The signed-in subject: the runtime's own setting first (no JSON to parse per call), else the claims' sub.
        private const string SubjectSql = "coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''), auth.session() ->> 'sub')";

        /// <summary>
        /// Each function: its signature as <c>to_regprocedure</c> reads it, its declaration (parameter names included), return
        /// type, SQL body (which may span lines), and whether the create script replaces an existing definition (unless
        /// <c>pg_session_jwt</c> owns it) rather than keeping it.
        /// </summary>
        public static readonly IReadOnlyList<(string Signature, string Declaration, string Returns, string Body, bool Replace)> All = new[]
        {
            ("auth.session()", "auth.session()", "jsonb", ClaimsBody, false),
            ("auth.jwt()", "auth.jwt()", "jsonb", ClaimsBody, false),
            ("auth.user_id()", "auth.user_id()", "text", "SELECT " + SubjectSql, true),
            ("auth.claim(text)", "auth.claim(name text)", "text", "SELECT auth.session() ->> name", false),
            ("auth.has_permission(text)", "auth.has_permission(permission text)", "boolean",
                "SELECT coalesce(jsonb_typeof(auth.session() -> 'permissions') = 'array' AND (auth.session() -> 'permissions') @> jsonb_build_array(permission), false)", false),
            // The same subject as auth.user_id(), the subject's own setting first, as a uuid when it is one.
            ("auth.uid()", "auth.uid()", "uuid", "SELECT CASE WHEN s.sub ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN s.sub::uuid END\n        FROM (SELECT " + SubjectSql + " AS sub) s", false),
        };

        /// <summary>The language and attributes every function above is declared with.</summary>
        public const string Attributes = "LANGUAGE sql STABLE PARALLEL SAFE";

        /// <summary>The language and attributes of the membership function, which reads the membership table as its owner.</summary>
        public const string DefinerAttributes = "LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = ''";

        /// <summary>The condition that <c>pg_session_jwt</c> does not own the function, which the script then may replace or drop.</summary>
        /// <param name="signature">The signature as <c>to_regprocedure</c> reads it.</param>
        /// <returns>A SQL condition.</returns>
        public static string NotOwnedByExtension(string signature) =>
            "NOT EXISTS (SELECT 1 FROM pg_depend WHERE classid = 'pg_proc'::regclass AND objid = to_regprocedure(" + SqlSyntax.Literal(signature) + ") AND deptype = 'e')";

        /// <summary>The statement creating one of <see cref="All"/>; its second line is indented to sit inside a guarded block.</summary>
        /// <param name="declaration">The name and parameters.</param>
        /// <param name="returns">The return type.</param>
        /// <param name="body">The SQL body.</param>
        /// <param name="replace">Whether it replaces an existing definition.</param>
        /// <returns>The statement, two lines.</returns>
        public static string Create(string declaration, string returns, string body, bool replace) =>
            "CREATE " + (replace ? "OR REPLACE " : "") + "FUNCTION " + declaration + " RETURNS " + returns + " " + Attributes + "\n"
            + "      AS $fn$ " + body + " $fn$;";

        /// <summary>The statement creating or replacing the membership function.</summary>
        /// <param name="declaration">The name and parameters.</param>
        /// <param name="returns">The return type.</param>
        /// <param name="body">The SQL body.</param>
        /// <returns>The statement, three lines.</returns>
        public static string CreateDefiner(string declaration, string returns, string body) =>
            "CREATE OR REPLACE FUNCTION " + declaration + " RETURNS " + returns + "\n  " + DefinerAttributes + "\n  AS $fn$ " + body + " $fn$;";
    }
}
