using System;
using System.Threading.Tasks;
using RlsSchema.Testing;
using Xunit;

namespace RlsSchema.Npgsql.Tests.Tokens;

/// <summary>Header extensions the validator does not understand, and subjects that are not strings.</summary>
[Collection(PostgresCollection.Name)]
public sealed class TokenHeaderAndSubjectTests(PostgresFixture fixture)
{
    [Theory]
    [InlineData("""["exp"]""")]
    [InlineData("""["b64"]""")]
    [InlineData("[]")]
    [InlineData("\"exp\"")]
    [InlineData("[null]")]
    [InlineData("{}")]
    [InlineData("null")]
    public async Task A_signed_token_with_a_crit_header_is_refused(string crit)
    {
        using var validator = new JwtValidator(fixture.Issuer.ValidationOptions);
        var token = fixture.Issuer.SignRaw(
            $$"""{"alg":"RS256","kid":"{{fixture.Issuer.KeyId}}","crit":{{crit}},"exp":1,"b64":true}""",
            Payload($"\"{DevTokenIssuer.NewUserId()}\""));

        var refused = await Assert.ThrowsAsync<RlsTokenException>(async () => await validator.ValidateAsync(token));

        Assert.Equal(TokenFailure.Malformed, refused.Reason);
        Assert.Contains("crit", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""["user_a","user_b"]""", "an array")]
    [InlineData("""{"id":"user_a"}""", "an object")]
    public async Task A_subject_that_is_not_a_string_is_refused_saying_so(string sub, string shape)
    {
        using var validator = new JwtValidator(fixture.Issuer.ValidationOptions);
        var token = fixture.Issuer.SignRaw($$"""{"alg":"RS256","kid":"{{fixture.Issuer.KeyId}}"}""", Payload(sub));

        var refused = await Assert.ThrowsAsync<RlsTokenException>(async () => await validator.ValidateAsync(token));

        Assert.Equal(TokenFailure.NoSubject, refused.Reason);
        Assert.Contains(shape, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("base64url", refused.Message, StringComparison.Ordinal);
    }

    private string Payload(string sub) =>
        $$"""{"iss":"{{fixture.Issuer.Issuer}}","aud":"{{fixture.Issuer.Audience}}","exp":{{DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds()}},"sub":{{sub}}}""";
}
