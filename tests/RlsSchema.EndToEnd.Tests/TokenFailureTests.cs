using System;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.EndToEnd.Tests.Entities;
using RlsSchema.EndToEnd.Tests.Infrastructure;
using RlsSchema.Npgsql;
using RlsSchema.Testing;
using RlsSchema.Tests.Seed;
using Xunit;

namespace RlsSchema.EndToEnd.Tests;

/// <summary>
/// Every kind of bad token is refused with its reason before the database is reached: the sessions' connections go
/// through a relay that counts them, and a refused token must leave it at zero and the table untouched.
/// </summary>
public sealed class TokenFailureTests(PostgresCluster cluster) : DatabaseTest(cluster)
{
    private TcpRelay? _relay;
    private RlsDataSource? _dataSource;

    private TcpRelay Relay => _relay!;
    private RlsDataSource Sessions => _dataSource!;

    public enum Forgery
    {
        Expired,
        NotYetValid,
        IssuedInTheFuture,
        SignedWithAnotherKey,
        PayloadChangedAfterSigning,
        WrongIssuer,
        WrongAudience,
        AlgorithmNone,
        HmacWithThePublicKey,
        UnknownKeyId,
        NoSubject,
        TooLarge,
        NotAJwt,
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var sessions = PostgresConnectionString.ToNpgsql(Db.Database.AuthenticatorConnectionString);
        _relay = TcpRelay.StartFor(sessions);
        _dataSource = new RlsDataSourceBuilder(_relay.Rewrite(sessions)).UseJwtValidation(Db.Issuer.ValidationOptions).Build();
    }

    public override async Task DisposeAsync()
    {
        await Sessions.DisposeAsync();

        await Relay.DisposeAsync();
    }

    private string Forge(Forgery forgery, string userId)
    {
        var now = DateTimeOffset.UtcNow;
        var issuer = Db.Issuer;
        return forgery switch
        {
            Forgery.Expired => issuer.IssueToken(userId, new DevTokenOptions { IssuedAt = now.AddMinutes(-10), ExpiresAt = now.AddMinutes(-5) }),
            Forgery.NotYetValid => issuer.IssueToken(userId, new DevTokenOptions { NotBefore = now.AddMinutes(5) }),
            Forgery.IssuedInTheFuture => issuer.IssueToken(userId, new DevTokenOptions { IssuedAt = now.AddMinutes(5) }),
            Forgery.SignedWithAnotherKey => issuer.IssueToken(userId, new DevTokenOptions { Signing = DevTokenSigning.OtherKey }),
            Forgery.PayloadChangedAfterSigning => issuer.IssueToken(DevTokenIssuer.NewUserId(), new DevTokenOptions { TamperedSubject = userId }),
            Forgery.WrongIssuer => issuer.IssueToken(userId, new DevTokenOptions { Issuer = "https://issuer.invalid/" }),
            Forgery.WrongAudience => issuer.IssueToken(userId, new DevTokenOptions { Audience = "client_someone_else" }),
            Forgery.AlgorithmNone => issuer.IssueToken(userId, new DevTokenOptions { Signing = DevTokenSigning.None }),
            Forgery.HmacWithThePublicKey => issuer.IssueToken(userId, new DevTokenOptions { Signing = DevTokenSigning.Hs256WithPublicKey }),
            Forgery.UnknownKeyId => issuer.IssueToken(userId, new DevTokenOptions { KeyId = "sso_oidc_key_pair_unknown" }),
            Forgery.NoSubject => issuer.IssueToken(null),
            Forgery.TooLarge => issuer.IssueToken(userId, new DevTokenOptions { PadToLength = 10_000 }),
            Forgery.NotAJwt => "not-a-token",
            _ => throw new ArgumentOutOfRangeException(nameof(forgery)),
        };
    }

    [Theory]
    [InlineData(Forgery.Expired, TokenFailure.Expired)]
    [InlineData(Forgery.NotYetValid, TokenFailure.NotYetValid)]
    [InlineData(Forgery.IssuedInTheFuture, TokenFailure.IssuedInFuture)]
    [InlineData(Forgery.SignedWithAnotherKey, TokenFailure.BadSignature)]
    [InlineData(Forgery.PayloadChangedAfterSigning, TokenFailure.BadSignature)]
    [InlineData(Forgery.WrongIssuer, TokenFailure.WrongIssuer)]
    [InlineData(Forgery.WrongAudience, TokenFailure.WrongAudience)]
    [InlineData(Forgery.AlgorithmNone, TokenFailure.DisallowedAlgorithm)]
    [InlineData(Forgery.HmacWithThePublicKey, TokenFailure.DisallowedAlgorithm)]
    [InlineData(Forgery.UnknownKeyId, TokenFailure.UnknownKey)]
    [InlineData(Forgery.NoSubject, TokenFailure.NoSubject)]
    [InlineData(Forgery.TooLarge, TokenFailure.TooLarge)]
    [InlineData(Forgery.NotAJwt, TokenFailure.Malformed)]
    public async Task Bad_token_is_refused_before_the_database_is_reached(Forgery forgery, TokenFailure reason)
    {
        var victim = Db.NewUser("Alice");
        var token = Forge(forgery, victim.Id);

        var refused = await Assert.ThrowsAsync<RlsTokenException>(async () =>
        {
            await using var session = await Sessions.OpenSessionAsync(token);
            await new TodoRepository(session).InsertAsync(new Todo { Task = "Written with a bad token" });
        });

        Assert.Equal(reason, refused.Reason);
        Assert.Equal(0, Relay.Connections);
        Assert.Empty(await Db.OwnerQueryAsync<long>("SELECT id FROM todos WHERE user_id = @id", new { id = victim.Id }));
    }

    [Fact]
    public async Task Valid_token_through_the_same_relay_reaches_the_database()
    {
        var alice = Db.NewUser("Alice");

        await using (var session = await Sessions.OpenSessionAsync(Db.Issuer.IssueToken(alice.Id)))
        {
            await new TodoRepository(session).InsertAsync(new Todo { Task = "Written with a good token" });
        }

        Assert.True(Relay.Connections > 0);
        Assert.Single(await Db.OwnerQueryAsync<long>("SELECT id FROM todos WHERE user_id = @id", new { id = alice.Id }));
    }
}
