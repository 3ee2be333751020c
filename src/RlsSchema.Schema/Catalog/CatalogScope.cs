using System;
using System.Collections.Generic;
using System.Linq;

namespace RlsSchema.Schema
{
    /// <summary>
    /// Which of a database's objects the catalog reader reads. One rule: RlsSchema manages only what it declared. Read
    /// against a model, the schemas its tables live in are RlsSchema's (every table there, and every policy on those
    /// tables, stray ones included), and so are the <c>auth</c> functions and the roles it names; another schema's
    /// tables and policies, a role it never named and a function it did not create are someone else's, and are not read.
    /// </summary>
    internal sealed class CatalogScope
    {
        // Never a model's tables: PostgreSQL's own, the migration history, and the auth schema the server or script owns.
        private static readonly string[] SystemSchemas = { "pg_catalog", "information_schema", "pg_toast", "rls_schema", "auth" };

        private readonly HashSet<string>? _schemas;
        private readonly HashSet<string>? _functions;
        private readonly HashSet<string>? _roles;

        private CatalogScope(HashSet<string>? schemas, HashSet<string>? functions, HashSet<string>? roles)
        {
            _schemas = schemas;
            _functions = functions;
            _roles = roles;
        }

        /// <summary>Every table outside the system schemas, every <c>auth</c> function and every role: what the linter looks at, and the scratch database the script built.</summary>
        public static CatalogScope Everything { get; } = new CatalogScope(null, null, null);

        /// <summary>What a model declares: the schemas of its tables, its functions and its roles.</summary>
        /// <param name="declared">The model.</param>
        /// <returns>The scope.</returns>
        public static CatalogScope Of(DatabaseModel declared) => new CatalogScope(
            new HashSet<string>(declared.Tables.Select(t => t.Schema), StringComparer.Ordinal),
            new HashSet<string>(declared.Functions.Select(f => f.Signature), StringComparer.Ordinal),
            new HashSet<string>(declared.Roles, StringComparer.Ordinal));

        /// <summary>Whether the tables of a schema are read.</summary>
        /// <param name="schema">The schema.</param>
        /// <returns>True when read.</returns>
        public bool Includes(string schema) =>
            Array.IndexOf(SystemSchemas, schema) < 0 && !schema.StartsWith("pg_", StringComparison.Ordinal) && (_schemas is null || _schemas.Contains(schema));

        /// <summary>Whether an <c>auth</c> function is read.</summary>
        /// <param name="signature">Its signature, as <c>regprocedure</c> prints it.</param>
        /// <returns>True when read.</returns>
        public bool IncludesFunction(string signature) => _functions is null || _functions.Contains(signature);

        /// <summary>Whether a role (and the table privileges it holds) is read.</summary>
        /// <param name="role">The role, or <c>PUBLIC</c>.</param>
        /// <returns>True when read.</returns>
        public bool IncludesRole(string role) => _roles is null || _roles.Contains(role);
    }
}
