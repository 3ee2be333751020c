using System.Linq;

namespace RlsSchema.Schema
{
    /// <summary>The <c>auth</c> schema and functions, the session roles and their privileges.</summary>
    internal static partial class PostgresSqlWriter
    {
        private static string PrepareAuth() =>
            "-- The auth functions: Neon's pg_session_jwt where the server has it, else SQL functions reading request.jwt.claims.\n"
            + Block("  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_session_jwt') THEN\n"
                + "    CREATE EXTENSION IF NOT EXISTS pg_session_jwt;\n"
                + "  END IF;")
            + "\nCREATE SCHEMA IF NOT EXISTS auth;";

        private static string CreateRole(CreateRoleOperation o)
        {
            string name = SqlSyntax.Identifier(o.Role);
            return Block(RoleSql.CreateIfMissing(o.Role)) + "\n"
                + "GRANT USAGE ON SCHEMA auth TO " + name + ";\n"
                + "GRANT USAGE ON SCHEMA public TO " + name + ";";
        }

        private static string ForgetRole(ForgetRoleOperation o)
        {
            string name = SqlSyntax.Identifier(o.Role);
            return Block("  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = " + SqlSyntax.Literal(o.Role) + ") THEN\n"
                + "    REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA auth FROM " + name + ";\n"
                + "    REVOKE USAGE ON SCHEMA auth FROM " + name + ";\n"
                + "    REVOKE USAGE ON SCHEMA public FROM " + name + ";\n"
                + "  END IF;");
        }

        private static string DefaultPrivileges(DefaultPrivilegesOperation o) => o.Grant
            ? "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, UPDATE, INSERT, DELETE ON TABLES TO " + SqlSyntax.Identifier(o.Role) + ";"
            : "ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, UPDATE, INSERT, DELETE ON TABLES FROM " + SqlSyntax.Identifier(o.Role) + ";";

        private static string Grant(GrantOperation o, bool idempotent)
        {
            string grant = "GRANT " + string.Join(", ", o.Privileges) + " ON " + Table(o.Table) + " TO " + SqlSyntax.Identifier(o.Role) + ";";

            // Revoking first makes a second run, or a run over the blanket grants of an earlier version, end in the same privileges.
            return idempotent && (o.Privileges.Count < 4 || o.Privileges.Any(p => ColumnPrivileges.Columns(p).Count > 0)) ? "REVOKE ALL ON " + Table(o.Table) + " FROM " + SqlSyntax.Identifier(o.Role) + ";\n" + grant : grant;
        }

        private static string CreateFunction(CreateFunctionOperation o, bool idempotent)
        {
            FunctionModel f = o.Function;
            string grant = o.Roles.Count == 0 ? "" : "\nGRANT EXECUTE ON FUNCTION " + f.Signature + " TO " + Names(o.Roles) + ";";
            if (f.SecurityDefiner)
            {
                // Revoking from the roles no policy of which calls it takes back what an earlier script or migration gave them.
                string revoke = "REVOKE ALL ON FUNCTION " + f.Signature + " FROM " + string.Join(", ", new[] { "PUBLIC" }.Concat(o.Withheld.Select(SqlSyntax.Identifier))) + ";";
                return o.PrivilegesOnly ? revoke + grant : AuthFunctions.CreateDefiner(f.Declaration, f.Returns, f.Body) + "\n" + revoke + grant;
            }

            if (o.PrivilegesOnly)
            {
                return grant.TrimStart('\n');
            }

            // pg_session_jwt's own functions stay; so does a definition the script keeps where it finds one (the server's own auth.uid()).
            bool keep = idempotent && AuthFunctions.All.Any(a => a.Signature == f.Signature && !a.Replace);
            string condition = keep ? "to_regprocedure(" + SqlSyntax.Literal(f.Signature) + ") IS NULL" : AuthFunctions.NotOwnedByExtension(f.Signature);
            return Block("  IF " + condition + " THEN\n    " + AuthFunctions.Create(f.Declaration, f.Returns, f.Body, replace: !keep) + "\n  END IF;") + grant;
        }

        private static string DropFunction(DropFunctionOperation o) =>
            Block("  IF " + AuthFunctions.NotOwnedByExtension(o.Signature) + " THEN\n    DROP FUNCTION IF EXISTS " + o.Signature + ";\n  END IF;");
    }
}
