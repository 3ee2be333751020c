using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Update;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure.Internal;
using Npgsql.EntityFrameworkCore.PostgreSQL.Update.Internal;
using RlsSchema.Npgsql;

namespace RlsSchema.EntityFrameworkCore.Runtime;

#pragma warning disable EF1001 // Npgsql's batch is an internal API: the package pins the provider's version and its tests run this batch.

/// <summary>
/// <c>SaveChanges</c>' batch, checking each statement's rows affected past the session's settings statement. Npgsql's own
/// batch reads the count of the statement at the position of each command; with the settings statement first, each
/// command's count would be its predecessor's, and an update or delete that row-level security kept from touching any row
/// would be reported as done. Here every update and delete must have affected its one row, else the save fails with
/// <see cref="DbUpdateConcurrencyException"/>; a write a policy refused throws <see cref="RlsAuthorizationException"/>.
/// </summary>
internal sealed class SessionModificationCommandBatch(ModificationCommandBatchFactoryDependencies dependencies, int maxBatchSize)
    : NpgsqlModificationCommandBatch(dependencies, maxBatchSize)
{
    /// <inheritdoc />
    public override void Execute(IRelationalConnection connection)
    {
        try
        {
            base.Execute(connection);
        }
        catch (DbUpdateException e) when (Refusal(e) is { } refusal)
        {
            throw refusal;
        }
    }

    /// <inheritdoc />
    public override async Task ExecuteAsync(IRelationalConnection connection, CancellationToken cancellationToken = default)
    {
        try
        {
            await base.ExecuteAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException e) when (Refusal(e) is { } refusal)
        {
            throw refusal;
        }
    }

    /// <inheritdoc />
    protected override void Consume(RelationalDataReader reader) => ConsumeAsync(reader, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc />
    protected override Task ConsumeAsync(RelationalDataReader reader, CancellationToken cancellationToken = default) =>
        ConsumeAsync(reader, async: true, cancellationToken);

    private async Task ConsumeAsync(RelationalDataReader reader, bool async, CancellationToken cancellationToken)
    {
        var npgsqlReader = (NpgsqlDataReader)reader.DbDataReader;
#pragma warning disable CS0618 // Statements: Npgsql's rows affected per statement, until EF sends DbBatch.
        var statements = npgsqlReader.Statements;

        // The statements ahead of the batch's own: the session's settings, or none for a service session.
        var offset = statements.Count - ModificationCommands.Count;
        if (offset == 0)
        {
            if (async)
            {
                await base.ConsumeAsync(reader, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                base.Consume(reader);
            }

            return;
        }

        ThrowIfStoredProcedure();

        // The interceptor has skipped the settings' result: the reader is on the first command's result, if any.
        for (var index = 0; index < ModificationCommands.Count; index++)
        {
            var command = ModificationCommands[index];
            if (ResultSetMappings[index].HasFlag(ResultSetMapping.HasResultRow))
            {
                if (!(async ? await reader.ReadAsync(cancellationToken).ConfigureAwait(false) : reader.Read()))
                {
                    await ThrowConcurrencyAsync(reader, index, 0, async, cancellationToken).ConfigureAwait(false);
                }

                command.PropagateResults(reader);
                _ = async ? await npgsqlReader.NextResultAsync(cancellationToken).ConfigureAwait(false) : npgsqlReader.NextResult();
            }
            else if (statements[index + offset].Rows is var rows && rows != 1)
            {
                await ThrowConcurrencyAsync(reader, index, (int)rows, async, cancellationToken).ConfigureAwait(false);
            }
        }
#pragma warning restore CS0618
    }

    private Task ThrowConcurrencyAsync(RelationalDataReader reader, int index, int rows, bool async, CancellationToken cancellationToken)
    {
        if (async)
        {
            return ThrowAggregateUpdateConcurrencyExceptionAsync(reader, index, 1, rows, cancellationToken);
        }

        ThrowAggregateUpdateConcurrencyException(reader, index, 1, rows);
        return Task.CompletedTask;
    }

    private void ThrowIfStoredProcedure()
    {
        foreach (var command in ModificationCommands)
        {
            if (command.StoreStoredProcedure is not null)
            {
                throw new NotSupportedException(
                    $"RlsSchema runs SaveChanges as the session, which does not support stored procedures mapped for inserts, updates or deletes ({command.TableName}).");
            }
        }
    }

    // A refusal for the user, inside EF's DbUpdateException, as the runtime's exception that the web layer maps to 401/403;
    // the DbUpdateException (with its entries) is its inner exception.
    private static RlsAuthorizationException? Refusal(DbUpdateException e)
    {
        var refusal = e.InnerException switch
        {
            RlsAuthorizationException authorization => authorization,
            PostgresException { SqlState: PostgresErrors.InsufficientPrivilege } postgres => PostgresErrors.ToAuthorization(postgres),
            _ => null,
        };
        return refusal is null ? null : new RlsAuthorizationException(refusal.SqlState, refusal.Message, refusal.TableName, e);
    }
}

/// <summary>Creates <see cref="SessionModificationCommandBatch"/>es, with Npgsql's maximum batch size.</summary>
internal sealed class SessionModificationCommandBatchFactory : NpgsqlModificationCommandBatchFactory
{
    private readonly ModificationCommandBatchFactoryDependencies _dependencies;
    private readonly int _maxBatchSize;

    public SessionModificationCommandBatchFactory(ModificationCommandBatchFactoryDependencies dependencies, IDbContextOptions options)
        : base(dependencies, options)
    {
        _dependencies = dependencies;
        _maxBatchSize = options.FindExtension<NpgsqlOptionsExtension>()?.MaxBatchSize ?? 1000;
    }

    /// <inheritdoc />
    public override ModificationCommandBatch Create() => new SessionModificationCommandBatch(_dependencies, _maxBatchSize);
}
#pragma warning restore EF1001
