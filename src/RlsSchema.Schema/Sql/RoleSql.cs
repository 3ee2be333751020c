namespace RlsSchema.Schema
{
    /// <summary>The statements about the session roles, which belong to the whole server rather than one database.</summary>
    internal static class RoleSql
    {
        /// <summary>The lines, inside a <c>DO</c> block, that create <paramref name="role"/> unless it exists (roles belong to the server).</summary>
        /// <param name="role">The role.</param>
        /// <returns>Three lines, indented for the block.</returns>
        public static string CreateIfMissing(string role) =>
            "  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = " + SqlSyntax.Literal(role) + ") THEN\n"
            + "    CREATE ROLE " + SqlSyntax.Identifier(role) + " NOLOGIN;\n"
            + "  END IF;";
    }
}
