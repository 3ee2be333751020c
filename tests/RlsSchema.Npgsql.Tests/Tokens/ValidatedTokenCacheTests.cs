using System;
using System.Threading.Tasks;
using RlsSchema.Testing;
using Xunit;

namespace RlsSchema.Npgsql.Tests.Tokens;

/// <summary>
/// A token that passed every check is remembered for a short while, so a caller's next request skips the signature
/// check; what is remembered never outlives the token, and any other text is checked in full.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ValidatedTokenCacheTests(PostgresFixture fixture)
{
    [Fact]
    public async Task A_remembered_token_is_refused_once_it_has_expired()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        using var validator = new JwtValidator(fixture.Issuer.ValidationOptions with
        {
            TimeProvider = clock,
            ValidatedTokenCacheDuration = TimeSpan.FromHours(1),
        });
        var token = fixture.Issuer.IssueToken(DevTokenIssuer.NewUserId(), new DevTokenOptions { IssuedAt = clock.GetUtcNow(), Lifetime = TimeSpan.FromMinutes(2) });

        var first = await validator.ValidateAsync(token);
        Assert.Same(first, await validator.ValidateAsync(token));

        clock.Now += TimeSpan.FromMinutes(2) + validator.Options.ClockSkew + TimeSpan.FromSeconds(1);
        var refused = await Assert.ThrowsAsync<RlsTokenException>(() => validator.ValidateAsync(token).AsTask());
        Assert.Equal(TokenFailure.Expired, refused.Reason);
    }

    [Fact]
    public async Task A_remembered_token_changed_by_one_character_is_checked_in_full()
    {
        using var validator = new JwtValidator(fixture.Issuer.ValidationOptions);
        var token = fixture.Issuer.IssueToken(DevTokenIssuer.NewUserId());
        await validator.ValidateAsync(token);

        var lastChar = token[^1] == 'A' ? 'B' : 'A';
        var refused = await Assert.ThrowsAsync<RlsTokenException>(() => validator.ValidateAsync(token[..^1] + lastChar).AsTask());
        Assert.Equal(TokenFailure.BadSignature, refused.Reason);
    }

    [Fact]
    public async Task With_the_cache_off_every_call_validates_again()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        using var validator = new JwtValidator(fixture.Issuer.ValidationOptions with
        {
            TimeProvider = clock,
            ValidatedTokenCacheDuration = TimeSpan.Zero,
        });
        var token = fixture.Issuer.IssueToken(DevTokenIssuer.NewUserId(), new DevTokenOptions { IssuedAt = clock.GetUtcNow() });

        var first = await validator.ValidateAsync(token);
        Assert.NotSame(first, await validator.ValidateAsync(token));
    }

    [Fact]
    public void A_negative_cache_duration_is_refused() =>
        Assert.Throws<ArgumentException>(() => new JwtValidator(fixture.Issuer.ValidationOptions with { ValidatedTokenCacheDuration = TimeSpan.FromSeconds(-1) }));
}
