using System;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Benchmarks.Data;
using RlsSchema.Benchmarks.Harness;

namespace RlsSchema.Benchmarks;

/// <summary>The server, the database with its schema and data, and the identities the scenarios run as.</summary>
internal sealed class BenchEnvironment : IAsyncDisposable
{
    private BenchEnvironment(string owner, string authenticator)
    {
        OwnerConnectionString = owner;
        AuthenticatorConnectionString = authenticator;
        Owner = NpgsqlDataSource.Create(owner);
        Authenticator = NpgsqlDataSource.Create(authenticator);
    }

    public string OwnerConnectionString { get; }
    public string AuthenticatorConnectionString { get; }
    public NpgsqlDataSource Owner { get; }
    public NpgsqlDataSource Authenticator { get; }
    public string MeasuredClaimsJson { get; private set; } = "";
    public string WriterClaimsJson { get; private set; } = "";

    public static async Task<BenchEnvironment> StartAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var admin = Environment.GetEnvironmentVariable("DATABASE_URL") ?? throw new InvalidOperationException("DATABASE_URL");
        var name = "bench_" + Guid.NewGuid().ToString("N")[..8];
        await using (var ds = NpgsqlDataSource.Create(admin))
        await using (var cmd = ds.CreateCommand($"CREATE DATABASE {name}"))
        {
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
        var owner = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        var auth = new NpgsqlConnectionStringBuilder(admin) { Database = name, Username = "bench_authenticator", Password = "bench" }.ConnectionString;
        var env = new BenchEnvironment(owner, auth);
        await using (var cmd = env.Owner.CreateCommand(Interim.InterimSchema.Sql))
        {
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
        env.MeasuredClaimsJson = Claims(BenchUsers.Measured);
        env.WriterClaimsJson = Claims(BenchUsers.Writer);
        return env;
    }

    private static string Claims(string sub) =>
        "{\"sub\":\"" + sub + "\",\"sid\":\"session_01ABCDEFGHJKMNPQRSTVWXYZ00\",\"org_id\":\"org_01ABCDEFGHJKMNPQRSTVWXYZ0\",\"role\":\"member\",\"permissions\":[],\"iss\":\"http://127.0.0.1/\",\"exp\":4102444800,\"iat\":1700000000}";

    public async ValueTask DisposeAsync()
    {
        await Owner.DisposeAsync();
        await Authenticator.DisposeAsync();
    }
}
