using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using RlsSchema.Npgsql;

namespace RlsSchema.AspNetCore;

/// <summary>
/// Healthy when the database answers on the sessions' connection and the schema is applied. It runs as an anonymous
/// session, never with the owner's credentials, so it reads only what any login may read.
/// </summary>
internal sealed class RlsSchemaHealthCheck(RlsDataSource dataSource, SchemaStatus schema) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var session = await RuntimeBridge.OpenSessionAsync(dataSource, null, cancellationToken).ConfigureAwait(false);
            var missing = await schema.FindMissingAsync(session, cancellationToken).ConfigureAwait(false);
            return missing is null
                ? HealthCheckResult.Healthy("The database answers and the schema is applied.")
                : new HealthCheckResult(context.Registration.FailureStatus, $"The database answers but the schema is not applied: {missing}.");
        }
        catch (PostgresException e)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The database answers but refused the check ({e.SqlState}): {e.MessageText}", e);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The database does not answer on the sessions' connection.", e);
        }
    }
}
