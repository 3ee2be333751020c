using System;
using System.Threading.Tasks;
using RlsSchema.Testing;
using Xunit;

namespace RlsSchema.Npgsql.Tests.Configuration;

/// <summary>A URL with credentials is shown masked wherever a message names it.</summary>
public sealed class UrlMaskingTests
{
    [Theory]
    [InlineData("ftp://user:secret@issuer.example/jwks", "ftp://user:***@issuer.example/jwks")]
    [InlineData("https://token-secret@issuer.example/jwks?x=1", "https://***@issuer.example/jwks?x=1")]
    [InlineData("postgres://owner:p%40ss-secret@db:5432/app?sslmode=require", "postgres://owner:***@db:5432/app?sslmode=require")]
    [InlineData("https://issuer.example/jwks?api_key=secret&x=1", "https://issuer.example/jwks?api_key=***&x=1")]
    [InlineData("postgres://u@h/db?password=secret", "postgres://***@h/db?password=***")]
    [InlineData("https://issuer.example/a@b", "https://issuer.example/a@b")]
    [InlineData("Host=h;Username=u", "Host=h;Username=u")]
    public void A_url_shows_its_credentials_masked(string url, string shown) =>
        Assert.Equal(shown, UrlMasking.Masked(url));

    [Fact]
    public void A_jwks_url_that_is_not_http_is_refused_naming_it_with_its_credentials_masked()
    {
        var refused = Assert.Throws<ArgumentException>(() => RlsDataSourceBuilder.FromEnvironment(
            name => name == "RLS_JWKS_URL" ? "ftp://user:secret@issuer.example/jwks" : null));

        Assert.Contains("RLS_JWKS_URL", refused.Message);
        Assert.Contains("ftp://user:***@issuer.example/jwks", refused.Message);
        Assert.DoesNotContain("secret", refused.Message);
    }

    [Fact]
    public async Task Keys_that_cannot_be_fetched_are_reported_with_the_jwks_urls_credentials_masked()
    {
        await using var issuer = await DevTokenIssuer.StartAsync();
        var url = new UriBuilder(issuer.JwksUri) { UserName = "reader", Password = "jwks-secret" }.Uri;
        using var masked = new JwtValidator(new JwtValidationOptions(url) { Issuer = issuer.Issuer, Audience = issuer.Audience });
        issuer.JwksAvailable = false;

        var refused = await Assert.ThrowsAsync<RlsTokenException>(async () => await masked.ValidateAsync(issuer.IssueToken(DevTokenIssuer.NewUserId())));

        Assert.Equal(TokenFailure.KeysUnavailable, refused.Reason);
        Assert.Contains("reader:***@", refused.Message);
        Assert.DoesNotContain("jwks-secret", refused.Message);
    }
}
