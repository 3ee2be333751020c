using System;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Testing;
using Xunit;

namespace RlsSchema.Npgsql.Tests.Tokens;

/// <summary>
/// Every bad token is refused with its reason before the runtime touches the database: the sessions connect through a
/// relay that counts connections, and no connection is ever made for a refused token. How unknown key ids refresh the
/// key set, and how often, is pinned once by the token attack tests of the security suite.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TokenValidationTests(PostgresFixture fixture) : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private TcpRelay _relay = null!;
    private RlsDataSource _dataSource = null!;
    private DevTokenIssuer _issuer = null!;

    public async Task InitializeAsync()
    {
        _issuer = fixture.Issuer;
        var database = await fixture.DatabaseFor(GetType());
        _relay = TcpRelay.StartFor(database.AuthenticatorConnectionString);
        _dataSource = new RlsDataSourceBuilder(_relay.Rewrite(database.AuthenticatorConnectionString))
            .UseJwtValidation(_issuer.ValidationOptions with { MinimumRefreshInterval = TimeSpan.Zero })
            .Build();
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _relay.DisposeAsync();
    }

    [Theory]
    [InlineData("expired", TokenFailure.Expired)]
    [InlineData("no expiry", TokenFailure.Expired)]
    [InlineData("not yet valid", TokenFailure.NotYetValid)]
    [InlineData("issued in the future", TokenFailure.IssuedInFuture)]
    [InlineData("signed by another key", TokenFailure.BadSignature)]
    [InlineData("payload changed after signing", TokenFailure.BadSignature)]
    [InlineData("signature stripped", TokenFailure.BadSignature)]
    [InlineData("wrong issuer", TokenFailure.WrongIssuer)]
    [InlineData("wrong audience", TokenFailure.WrongAudience)]
    [InlineData("alg none", TokenFailure.DisallowedAlgorithm)]
    [InlineData("HS256 with the public key as secret", TokenFailure.DisallowedAlgorithm)]
    [InlineData("unknown kid", TokenFailure.UnknownKey)]
    [InlineData("oversized", TokenFailure.TooLarge)]
    [InlineData("not a JWT", TokenFailure.Malformed)]
    [InlineData("broken base64", TokenFailure.Malformed)]
    [InlineData("header is not JSON", TokenFailure.Malformed)]
    [InlineData("signed payload is not JSON", TokenFailure.Malformed)]
    [InlineData("signed payload is an array", TokenFailure.Malformed)]
    [InlineData("signed payload has sub twice", TokenFailure.Malformed)]
    [InlineData("encrypted token", TokenFailure.Malformed)]
    [InlineData("missing sub", TokenFailure.NoSubject)]
    [InlineData("empty sub", TokenFailure.NoSubject)]
    [InlineData("numeric sub", TokenFailure.NoSubject)]
    public async Task A_bad_token_is_refused_before_any_connection_is_made(string forgery, TokenFailure expected)
    {
        var token = Forge(forgery);

        var refused = await Assert.ThrowsAsync<RlsTokenException>(async () =>
        {
            await using var session = await _dataSource.OpenSessionAsync(token);
            await session.QueryAsync<int>("SELECT 1", null, None);
        });

        Assert.Equal(expected, refused.Reason);
        Assert.Equal(0, _relay.Connections);
        Assert.Equal(0, _relay.RoundTrips);
        Assert.DoesNotContain(token, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_good_token_goes_through_the_same_relay()
    {
        await using var session = await _dataSource.OpenSessionAsync(_issuer.IssueToken(DevTokenIssuer.NewUserId()));

        Assert.Equal(1, await session.QuerySingleOrDefaultAsync<int>("SELECT 1", null, None));
        Assert.Equal(1, _relay.Connections);
    }

    [Fact]
    public async Task A_rotated_key_is_fetched_and_old_tokens_stay_valid_while_published()
    {
        await using var issuer = await DevTokenIssuer.StartAsync();
        using var validator = new JwtValidator(issuer.ValidationOptions with { MinimumRefreshInterval = TimeSpan.Zero });
        var user = DevTokenIssuer.NewUserId();
        var oldToken = issuer.IssueToken(user);
        await validator.ValidateAsync(oldToken);

        issuer.RotateKey();
        var newToken = issuer.IssueToken(user);

        Assert.Equal(user, (await validator.ValidateAsync(newToken)).Subject);
        Assert.Equal(user, (await validator.ValidateAsync(oldToken)).Subject);
        Assert.Equal(2, issuer.JwksRequests);
    }

    [Fact]
    public async Task Keys_that_cannot_be_fetched_are_reported_as_unavailable_and_recover()
    {
        await using var issuer = await DevTokenIssuer.StartAsync();
        using var validator = new JwtValidator(issuer.ValidationOptions);
        var token = issuer.IssueToken(DevTokenIssuer.NewUserId());

        issuer.JwksAvailable = false;
        var refused = await Assert.ThrowsAsync<RlsTokenException>(async () => await validator.ValidateAsync(token));
        issuer.JwksAvailable = true;

        Assert.Equal(TokenFailure.KeysUnavailable, refused.Reason);
        Assert.NotNull(await validator.ValidateAsync(token));
    }

    [Fact]
    public async Task The_claims_in_the_session_are_the_signed_payload()
    {
        var user = DevTokenIssuer.NewUserId();
        var token = _issuer.IssueToken(user, new DevTokenOptions { OrganizationId = "org_01TEST", Permissions = ["todos:read"] });
        using var validator = new JwtValidator(_issuer.ValidationOptions);
        var validated = await validator.ValidateAsync(token);

        await using var session = await _dataSource.OpenSessionAsync(token);
        var claims = await session.QuerySingleOrDefaultAsync<string>("SELECT auth.session()::text", null, None);
        var org = await session.QuerySingleOrDefaultAsync<string>("SELECT auth.jwt() ->> 'org_id'", null, None);

        Assert.Equal(validated.ClaimsJson, session.Claims);
        Assert.Equal("org_01TEST", org);
        Assert.Contains(user, claims, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_null_or_empty_token_is_missing_and_opens_no_session()
    {
        using var validator = new JwtValidator(_issuer.ValidationOptions);

        var refused = await Assert.ThrowsAsync<RlsTokenException>(async () => await validator.ValidateAsync(""));
        var nullToken = await Assert.ThrowsAsync<RlsTokenException>(async () => await _dataSource.OpenSessionAsync(null!));
        var emptyToken = await Assert.ThrowsAsync<RlsTokenException>(async () => await _dataSource.OpenSessionAsync(""));

        Assert.Equal(TokenFailure.Missing, refused.Reason);
        Assert.Equal(TokenFailure.Missing, nullToken.Reason);
        Assert.Equal(TokenFailure.Missing, emptyToken.Reason);
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("none")]
    [InlineData("hs256")]
    public void Symmetric_or_unsigned_algorithms_cannot_be_allowed(string algorithm)
    {
        Assert.Throws<ArgumentException>(() => new JwtValidator(_issuer.ValidationOptions with { Algorithms = ["RS256", algorithm] }));
    }

    [Fact]
    public async Task Small_clock_differences_are_tolerated()
    {
        using var validator = new JwtValidator(_issuer.ValidationOptions);
        var now = DateTimeOffset.UtcNow;

        var token = _issuer.IssueToken(DevTokenIssuer.NewUserId(), new DevTokenOptions
        {
            IssuedAt = now.AddSeconds(10),
            NotBefore = now.AddSeconds(10),
            ExpiresAt = now.AddSeconds(-10),
        });

        Assert.NotNull(await validator.ValidateAsync(token));
    }

    private string Forge(string forgery)
    {
        var user = DevTokenIssuer.NewUserId();
        var now = DateTimeOffset.UtcNow;
        var kid = _issuer.KeyId;
        return forgery switch
        {
            "expired" => _issuer.IssueToken(user, new() { IssuedAt = now.AddMinutes(-10), ExpiresAt = now.AddMinutes(-5) }),
            "no expiry" => _issuer.IssueToken(user, new() { OmitExpiry = true }),
            "not yet valid" => _issuer.IssueToken(user, new() { NotBefore = now.AddMinutes(10) }),
            "issued in the future" => _issuer.IssueToken(user, new() { IssuedAt = now.AddMinutes(10) }),
            "signed by another key" => _issuer.IssueToken(user, new() { Signing = DevTokenSigning.OtherKey }),
            "payload changed after signing" => _issuer.IssueToken(user, new() { TamperedSubject = DevTokenIssuer.NewUserId() }),
            "signature stripped" => _issuer.IssueToken(user)[..(_issuer.IssueToken(user).LastIndexOf('.') + 1)],
            "wrong issuer" => _issuer.IssueToken(user, new() { Issuer = "https://evil.example/user_management/client_dev" }),
            "wrong audience" => _issuer.IssueToken(user, new() { Audience = "client_someone_else" }),
            "alg none" => _issuer.IssueToken(user, new() { Signing = DevTokenSigning.None }),
            "HS256 with the public key as secret" => _issuer.IssueToken(user, new() { Signing = DevTokenSigning.Hs256WithPublicKey }),
            "unknown kid" => _issuer.IssueToken(user, new() { KeyId = "sso_oidc_key_pair_forged" }),
            "oversized" => _issuer.IssueToken(user, new() { PadToLength = 9000 }),
            "not a JWT" => "this is not a token",
            "broken base64" => "eyJhbGciOiJSUzI1NiJ9.!!!not*base64!!!.c2ln",
            "header is not JSON" => "bm90IGpzb24." + _issuer.IssueToken(user).Split('.')[1] + ".c2ln",
            "signed payload is not JSON" => _issuer.SignRaw($$"""{"alg":"RS256","kid":"{{kid}}"}""", "{not json"),
            "signed payload is an array" => _issuer.SignRaw($$"""{"alg":"RS256","kid":"{{kid}}"}""", "[1,2]"),
            "signed payload has sub twice" => _issuer.SignRaw(
                $$"""{"alg":"RS256","kid":"{{kid}}"}""",
                $$"""{"iss":"{{_issuer.Issuer}}","aud":"{{_issuer.Audience}}","exp":{{now.AddMinutes(5).ToUnixTimeSeconds()}},"sub":"{{user}}","sub":"user_01OTHER"}"""),
            "encrypted token" => "eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d",
            "missing sub" => _issuer.IssueToken(null),
            "empty sub" => _issuer.IssueToken(""),
            "numeric sub" => _issuer.SignRaw(
                $$"""{"alg":"RS256","kid":"{{kid}}"}""",
                $$"""{"iss":"{{_issuer.Issuer}}","aud":"{{_issuer.Audience}}","exp":{{now.AddMinutes(5).ToUnixTimeSeconds()}},"sub":42}"""),
            _ => throw new ArgumentOutOfRangeException(nameof(forgery), forgery, null),
        };
    }
}
