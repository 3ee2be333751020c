using System;
using System.Threading.Tasks;
using RlsSchema.Testing;
using Xunit;

namespace RlsSchema.Npgsql.Tests.Sessions;

/// <summary>A host that validated a token at its edge opens the session from the validated token, not the text again.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ValidatedSessionTests(PostgresFixture fixture)
{
    [Fact]
    public async Task A_session_from_a_validated_token_runs_as_its_subject_with_its_payload()
    {
        var database = await fixture.DatabaseFor(GetType());
        await using var data = database.CreateDataSource(fixture.Issuer.ValidationOptions);
        var user = DevTokenIssuer.NewUserId();
        var validated = await data.TokenValidator!.ValidateAsync(fixture.Issuer.IssueToken(user));

        await using var session = await data.OpenValidatedSessionAsync(validated);
        Assert.Equal(user, session.UserId);
        Assert.Equal(validated.ClaimsJson, session.Claims);
        Assert.Equal(user, await session.QuerySingleOrDefaultAsync<string>("SELECT auth.user_id()", null, default));
        Assert.Equal("authenticated", await session.QuerySingleOrDefaultAsync<string>("SELECT current_user", null, default));
    }

    [Fact]
    public async Task A_session_from_a_validated_token_keeps_its_expiry_and_runs_nothing_after_it()
    {
        var database = await fixture.DatabaseFor(GetType());
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var data = database.CreateDataSource(fixture.Issuer.ValidationOptions with { TimeProvider = clock });
        var token = fixture.Issuer.IssueToken(DevTokenIssuer.NewUserId(), new DevTokenOptions { IssuedAt = clock.GetUtcNow(), Lifetime = TimeSpan.FromMinutes(2) });
        var validated = await data.TokenValidator!.ValidateAsync(token);
        await using var session = await data.OpenValidatedSessionAsync(validated);
        Assert.Equal(validated.ExpiresAt, session.ExpiresAt);
        Assert.NotNull(await session.QuerySingleOrDefaultAsync<string>("SELECT auth.user_id()"));

        clock.Now += TimeSpan.FromMinutes(2) + data.TokenValidator.Options.ClockSkew + TimeSpan.FromSeconds(1);
        var refused = await Assert.ThrowsAsync<RlsTokenException>(() => session.QuerySingleOrDefaultAsync<string>("SELECT auth.user_id()"));
        Assert.Equal(TokenFailure.Expired, refused.Reason);
    }

    [Fact]
    public async Task No_validated_token_opens_no_session()
    {
        var database = await fixture.DatabaseFor(GetType());
        await using var data = database.CreateDataSource(fixture.Issuer.ValidationOptions);
        var refused = await Assert.ThrowsAsync<RlsTokenException>(() => data.OpenValidatedSessionAsync(null!).AsTask());
        Assert.Equal(TokenFailure.Missing, refused.Reason);
    }
}
