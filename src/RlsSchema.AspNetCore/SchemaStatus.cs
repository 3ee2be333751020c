using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RlsSchema.Npgsql;

namespace RlsSchema.AspNetCore;

/// <summary>
/// Tells whether the schema is applied without the owner's credentials: with the application's migrations known, by
/// comparing them with <c>rls_schema.applied_migration_ids()</c> (which the migrator lets the session roles call, and
/// which reveals the ids and nothing else); without them, from the system catalogs, which every login may read.
/// </summary>
internal sealed class SchemaStatus(KnownMigrations? migrations = null)
{
    // The script creates the auth functions first and the tables after them, in one transaction: their presence means it ran.
    private const string ScriptSql =
        "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace " +
        "WHERE n.nspname = 'auth' AND p.proname = 'user_id')";

    private const string HistorySql =
        "SELECT to_regprocedure('rls_schema.applied_migration_ids()') IS NOT NULL AND has_function_privilege('rls_schema.applied_migration_ids()', 'EXECUTE')";

    /// <summary>What is missing, or null when the schema is applied.</summary>
    public async Task<string?> FindMissingAsync(IRlsSession session, CancellationToken cancellationToken)
    {
        if (migrations is null)
        {
            var applied = await session.QuerySingleOrDefaultAsync<bool>(ScriptSql, null, cancellationToken).ConfigureAwait(false);
            return applied ? null : "the function auth.user_id() does not exist; apply the migration as the owner";
        }

        if (!await session.QuerySingleOrDefaultAsync<bool>(HistorySql, null, cancellationToken).ConfigureAwait(false))
        {
            return "no migration has been applied (rls_schema.applied_migration_ids() is missing or not granted to the session's role); migrate as the owner";
        }

        var ids = (await session.QueryAsync<long>("SELECT applied.id FROM rls_schema.applied_migration_ids() AS applied(id)", null, cancellationToken).ConfigureAwait(false)).ToHashSet();
        var pending = migrations.All.Where(m => !ids.Contains(m.Id)).ToList();
        return pending.Count == 0
            ? null
            : "migrations not applied: " + string.Join(", ", pending.Select(m => m.ToString())) + "; migrate as the owner";
    }
}
