using System;
using System.Linq;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Generated;
using RlsSchema.Npgsql;
using RlsSchema.Security.Tests.Entities;
using RlsSchema.Security.Tests.Infrastructure;
using RlsSchema.Testing;
using Xunit;
using Xunit.Abstractions;

namespace RlsSchema.Security.Tests.Faults;

/// <summary>
/// The server goes away in the middle of a run and comes back. Its own server, so that the rest of the suite
/// does not see the outage.
/// </summary>
public sealed class ServerRestartTests(ITestOutputHelper output)
{
    private const int Workers = 4;

    [Fact]
    public async Task After_the_server_stops_and_starts_again_sessions_recover_by_themselves_with_the_data_intact()
    {
        await using PostgresServer server = await PostgresServer.StartLocalAsync();
        TestDatabase database = await server.CreateDatabaseAsync();
        await using DevTokenIssuer issuer = await DevTokenIssuer.StartAsync();
        await database.MigrateAsync(RlsSchemaScript.Sql);
        RlsDataSourceBuilder builder = database.CreateDataSourceBuilder(issuer.ValidationOptions);
        builder.ConnectionStringBuilder.MaxPoolSize = Workers;
        builder.ConnectionStringBuilder.Timeout = 5;
        await using RlsDataSource data = builder.Build();

        var run = new OutageRun(data, issuer, database.OwnerConnectionString, Workers);
        await run.SeedAsync();
        await run.RunAsync(() => server.StopAsync(), () => server.ResumeAsync(), TimeSpan.FromSeconds(1));

        output.WriteLine(run.Describe());
        SecurityFigures.Record(nameof(After_the_server_stops_and_starts_again_sessions_recover_by_themselves_with_the_data_intact), run.Calls, 0, 1, run.Leaks.Count);

        Assert.Empty(run.Leaks);
        Assert.True(run.FailuresWhileDown.Sum() > 0, "the outage was not noticed: the test did not test anything");
        Assert.All(run.SuccessesAfterResume, s => Assert.True(s >= 3, "a worker never recovered"));

        // Each pooled connection that the outage killed fails once when next used, then is replaced.
        Assert.InRange(run.FailuresAfterResume.Sum(), 0, Workers);

        // The data is as committed, and a fresh anonymous session is nobody.
        Assert.True(await run.DataIntactAsync(), "the rows differ from those committed before the outage");
        await using RlsSession anonymous = await data.OpenAnonymousSessionAsync();
        Assert.Null(await anonymous.QuerySingleOrDefaultAsync<string>("SELECT auth.user_id()", null, default));
        Assert.Empty(await new GuardedTodoRepository(anonymous).ListAsync());
    }
}
