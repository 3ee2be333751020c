using System;
using Microsoft.IdentityModel.Tokens;
using RlsSchema.Npgsql;

namespace RlsSchema.AspNetCore.Authentication;

/// <summary>A token the runtime validated, in the shape the JwtBearer handler passes around.</summary>
internal sealed class RlsSecurityToken(ValidatedToken token) : SecurityToken
{
    public ValidatedToken Token { get; } = token;

    public override string Id => "";

    public override string Issuer => "";

    public override SecurityKey? SecurityKey => null;

    public override SecurityKey? SigningKey { get; set; }

    public override DateTime ValidFrom => DateTime.MinValue;

    public override DateTime ValidTo => Token.ExpiresAt.UtcDateTime;

    public override string UnsafeToString() => "";
}
