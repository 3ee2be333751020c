using System.Linq;
using System.Threading.Tasks;
using Dapper;
using Npgsql;

namespace RlsSchema.Generator.Tests.Infrastructure;

/// <summary>Reads ids as a signed-in user would: in a transaction as <c>authenticated</c>, with the token's claims set.</summary>
internal static class SignedInQuery
{
    /// <summary>Runs <paramref name="sql"/> (one <c>bigint</c> column) as the user <paramref name="sub"/> and rolls back.</summary>
    public static async Task<long[]> IdsAsync(NpgsqlConnection connection, string sub, string sql)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("SET LOCAL ROLE authenticated; SELECT set_config('request.jwt.claims', @claims, true)", new { claims = "{\"sub\":\"" + sub + "\"}" }, transaction);
        long[] ids = (await connection.QueryAsync<long>(sql, transaction: transaction)).ToArray();
        await transaction.RollbackAsync();
        return ids;
    }
}
