using System.Threading;
using System.Threading.Tasks;
using RlsSchema.Npgsql;

namespace RlsSchema.AspNetCore;

/// <summary>
/// Tells whether the schema is applied, reading only the system catalogs (which every login may read), so neither the
/// owner's credentials nor the migration history are needed.
/// </summary>
internal sealed class SchemaStatus
{
    // The script creates the auth functions first and the tables after them, in one transaction: their presence means it ran.
    private const string Sql =
        "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace " +
        "WHERE n.nspname = 'auth' AND p.proname = 'user_id')";

    /// <summary>What is missing, or null when the schema is applied.</summary>
    public async Task<string?> FindMissingAsync(IRlsSession session, CancellationToken cancellationToken)
    {
        var applied = await session.QuerySingleOrDefaultAsync<bool>(Sql, null, cancellationToken).ConfigureAwait(false);
        return applied ? null : "the function auth.user_id() does not exist; apply the migration as the owner";
    }
}
