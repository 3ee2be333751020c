using System;
using System.Threading.Tasks;
using RlsSchema.Npgsql;
using Xunit;

namespace RlsSchema.EndToEnd.Tests.Infrastructure;

/// <summary>A test class with a database of its own on the run's shared server, the generated schema applied.</summary>
[Collection(PostgresCollection.Name)]
public abstract class DatabaseTest : IAsyncLifetime
{
    private SchemaDatabase? _db;

    protected DatabaseTest(PostgresCluster cluster) => Cluster = cluster;

    protected PostgresCluster Cluster { get; }

    protected SchemaDatabase Db => _db ?? throw new InvalidOperationException("The database is not ready.");

    /// <summary>Runs <paramref name="action"/> in a session of <paramref name="user"/>, or an anonymous one when null.</summary>
    protected async Task<T> AsAsync<T>(TestUser? user, Func<IRlsSession, Task<T>> action)
    {
        await using var session = user is null ? await Db.AnonymousAsync() : await Db.SignInAsync(user);
        return await action(session);
    }

    public virtual async Task InitializeAsync() => _db = await Cluster.DatabaseForAsync(GetType());

    public virtual Task DisposeAsync() => Task.CompletedTask;
}
