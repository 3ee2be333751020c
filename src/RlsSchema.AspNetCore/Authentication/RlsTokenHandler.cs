using System;
using System.Security.Claims;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RlsSchema.Npgsql;

namespace RlsSchema.AspNetCore.Authentication;

/// <summary>
/// The JwtBearer handler's only token handler: it hands the token to the runtime's <see cref="JwtValidator"/>, so the
/// request's token passes exactly the checks a session's token passes (algorithms, size, <c>crit</c>, issuer, audience,
/// lifetime with the configured clock skew), and only once per request.
/// </summary>
internal sealed class RlsTokenHandler(JwtValidator validator) : TokenHandler
{
    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        ValidatedToken validated;
        try
        {
            validated = await validator.ValidateAsync(token, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RlsTokenException e)
        {
            return new TokenValidationResult { IsValid = false, Exception = e };
        }

        // The claims as the issuer named them: JsonWebToken maps nothing, so sub stays sub and permissions stay permissions.
        var identity = new ClaimsIdentity(new JsonWebToken(token).Claims, RlsSchemaDefaults.AuthenticationType, "sub", "role")
        {
            BootstrapContext = validated,
        };
        return new TokenValidationResult
        {
            IsValid = true,
            ClaimsIdentity = identity,
            SecurityToken = new RlsSecurityToken(validated),
        };
    }

    public override SecurityToken ReadToken(string token) => new JsonWebToken(token);
}
