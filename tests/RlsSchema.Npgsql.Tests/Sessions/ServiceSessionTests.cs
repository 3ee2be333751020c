using System;
using System.Linq;
using System.Threading.Tasks;
using RlsSchema.Testing;
using RlsSchema.Tests.Seed;
using Xunit;

namespace RlsSchema.Npgsql.Tests.Sessions;

[Collection(PostgresCollection.Name)]
public sealed class ServiceSessionTests(PostgresFixture fixture)
{
    [Fact]
    public async Task A_service_session_sees_every_users_rows_and_writes_through_the_repository()
    {
        var database = await fixture.CreateSeededAsync();
        await using var users = database.CreateDataSource(fixture.Issuer.ValidationOptions);
        var alice = DevTokenIssuer.NewUserId();
        await using (var session = await users.OpenSessionAsync(fixture.Issuer.IssueToken(alice)))
        {
            await new TodoRepository(session).InsertAsync(new Todo { Task = "alice's" });
        }

        await using var service = new RlsServiceDataSource(database.OwnerConnectionString);
        await using var backend = await service.OpenServiceSessionAsync();
        var written = await new TodoRepository(backend).InsertAsync(new Todo { UserId = "user_bob", Task = "assigned by a job" });
        var all = await new TodoRepository(backend).ListAsync();

        Assert.True(backend.IsService);
        Assert.False(backend.IsAnonymous);
        Assert.Equal("user_bob", written.UserId);
        Assert.Equal(["alice's", "assigned by a job"], all.OrderBy(t => t.Id).Select(t => t.Task));
    }

    [Fact]
    public void The_service_connection_is_asked_for_by_its_own_name()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => RlsServiceDataSource.FromEnvironment(_ => null));

        Assert.Contains(RlsServiceDataSource.EnvironmentVariable, refused.Message, StringComparison.Ordinal);
    }
}
