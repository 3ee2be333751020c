using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using RlsSchema.Npgsql;
using RlsSchema.Security.Tests.Entities;
using RlsSchema.Security.Tests.Infrastructure;
using RlsSchema.Testing;
using Xunit;
using Xunit.Abstractions;

namespace RlsSchema.Security.Tests.Tokens;

/// <summary>
/// Bad tokens of every kind are refused with a typed reason before any SQL runs. Sessions go through a
/// <see cref="TcpRelay"/> that counts connections and round trips: a refused token must leave both at zero.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TokenAttackTests(SecurityEnvironment env, ITestOutputHelper output) : IAsyncLifetime
{
    private TcpRelay _relay = null!;
    private RlsDataSource _data = null!;

    private DevTokenIssuer Issuer => env.Issuer;

    public Task InitializeAsync()
    {
        _relay = TcpRelay.StartFor(env.Database.AuthenticatorConnectionString);
        _data = env.CreateDataSource(4, sessionConnectionString: _relay.Rewrite(env.Database.AuthenticatorConnectionString));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _relay.DisposeAsync();

    /// <summary>Every forged, broken or misaddressed token the suite knows, with the reason it must be refused for.</summary>
    private async Task<List<(string Name, string Token, TokenFailure Reason)>> BadTokensAsync()
    {
        string victim = DevTokenIssuer.NewUserId();
        string attacker = DevTokenIssuer.NewUserId();
        DateTimeOffset now = DateTimeOffset.UtcNow;
        string valid = Issuer.IssueToken(victim);
        JsonObject claims = TokenForge.ReadClaims(valid);

        // What an attacker can download: the issuer's public JWKS.
        using var http = new HttpClient();
        JsonNode jwks = JsonNode.Parse(await http.GetStringAsync(Issuer.JwksUri))!;
        JsonNode jwk = jwks["keys"]!.AsArray().First(k => k!["kid"]!.GetValue<string>() == Issuer.KeyId)!;
        using RSA publicKey = TokenForge.RsaFromJwk(jwk);
        using RSA stranger = RSA.Create(2048);

        var tokens = new List<(string, string, TokenFailure)>
        {
            ("alg none (issuer knob)", Issuer.IssueToken(victim, new DevTokenOptions { Signing = DevTokenSigning.None }), TokenFailure.DisallowedAlgorithm),
            ("alg None", TokenForge.Unsigned("None", Issuer.KeyId, claims), TokenFailure.DisallowedAlgorithm),
            ("alg NONE", TokenForge.Unsigned("NONE", Issuer.KeyId, claims), TokenFailure.DisallowedAlgorithm),
            ("alg nOnE with a copied signature", TokenForge.WithHeader(valid, h => h["alg"] = "nOnE"), TokenFailure.DisallowedAlgorithm),
            ("alg empty", TokenForge.WithHeader(valid, h => h["alg"] = ""), TokenFailure.DisallowedAlgorithm),
            ("alg missing", TokenForge.WithHeader(valid, h => h.Remove("alg")), TokenFailure.DisallowedAlgorithm),
            ("HS256 with the public key PEM (issuer knob)", Issuer.IssueToken(victim, new DevTokenOptions { Signing = DevTokenSigning.Hs256WithPublicKey }), TokenFailure.DisallowedAlgorithm),
            ("HS256 claiming to be RS256", TokenForge.WithHeader(TokenForge.SignHs256(TokenForge.PublicKeyForms(publicKey, jwk)[0], Issuer.KeyId, claims), h => h["alg"] = "RS256"), TokenFailure.BadSignature),
            ("RS256 header swapped to RS512", TokenForge.WithHeader(valid, h => h["alg"] = "RS512"), TokenFailure.BadSignature),
            ("PS256 header on an RS256 signature", TokenForge.WithHeader(valid, h => h["alg"] = "PS256"), TokenFailure.BadSignature),
            ("payload sub changed after signing", Issuer.IssueToken(attacker, new DevTokenOptions { TamperedSubject = victim }), TokenFailure.BadSignature),
            ("payload exp extended after signing", TokenForge.WithClaims(valid, c => c["exp"] = now.AddYears(10).ToUnixTimeSeconds()), TokenFailure.BadSignature),
            ("payload role raised after signing", TokenForge.WithClaims(valid, c => c["role"] = "admin"), TokenFailure.BadSignature),
            ("signature of another token", string.Join('.', valid.Split('.')[..2]) + "." + Issuer.IssueToken(attacker).Split('.')[2], TokenFailure.BadSignature),
            ("signature stripped", string.Join('.', valid.Split('.')[..2]) + ".", TokenFailure.BadSignature),
            ("signed by a stranger under the issuer's kid", Issuer.IssueToken(victim, new DevTokenOptions { Signing = DevTokenSigning.OtherKey }), TokenFailure.BadSignature),
            ("signed by a stranger with no kid", TokenForge.SignRs256(stranger, null, claims), TokenFailure.BadSignature),
            ("signed by a stranger under an unknown kid", TokenForge.SignRs256(stranger, "kid_attacker", claims), TokenFailure.UnknownKey),
            ("kid path traversal", TokenForge.SignRs256(stranger, "../../../../etc/passwd", claims), TokenFailure.UnknownKey),
            ("expired an hour ago", Issuer.IssueToken(victim, new DevTokenOptions { IssuedAt = now.AddHours(-2), ExpiresAt = now.AddHours(-1) }), TokenFailure.Expired),
            ("expired beyond the 30 s skew", Issuer.IssueToken(victim, new DevTokenOptions { IssuedAt = now.AddMinutes(-10), ExpiresAt = now.AddSeconds(-45) }), TokenFailure.Expired),
            ("no exp", Issuer.IssueToken(victim, new DevTokenOptions { OmitExpiry = true }), TokenFailure.Expired),
            ("nbf in ten minutes", Issuer.IssueToken(victim, new DevTokenOptions { NotBefore = now.AddMinutes(10), ExpiresAt = now.AddMinutes(20) }), TokenFailure.NotYetValid),
            ("iat in ten minutes", Issuer.IssueToken(victim, new DevTokenOptions { IssuedAt = now.AddMinutes(10), ExpiresAt = now.AddMinutes(20) }), TokenFailure.IssuedInFuture),
            ("wrong issuer", Issuer.IssueToken(victim, new DevTokenOptions { Issuer = "https://evil.example/user_management/client_dev" }), TokenFailure.WrongIssuer),
            ("issuer differing in case", Issuer.IssueToken(victim, new DevTokenOptions { Issuer = Issuer.Issuer.ToUpperInvariant() }), TokenFailure.WrongIssuer),
            ("wrong audience", Issuer.IssueToken(victim, new DevTokenOptions { Audience = "client_other" }), TokenFailure.WrongAudience),
            ("audience array without ours", Issuer.SignRaw(Header(), Payload(victim, now, c => c["aud"] = new JsonArray("client_a", "client_b")).ToJsonString()), TokenFailure.WrongAudience),
            ("oversized, validly signed", Issuer.IssueToken(victim, new DevTokenOptions { PadToLength = 9 * 1024 }), TokenFailure.TooLarge),
            ("a megabyte of garbage", new string('A', 1024 * 1024), TokenFailure.TooLarge),
            ("broken base64 in the payload", valid.Split('.')[0] + ".e30!!.sig", TokenFailure.Malformed),
            ("broken base64 in the header", "eyJ!!.e30.sig", TokenFailure.Malformed),
            ("header not JSON", TokenForge.Base64Url("{\"alg\":\"RS256\"") + "." + valid.Split('.')[1] + "." + valid.Split('.')[2], TokenFailure.Malformed),
            ("payload not JSON, validly signed", Issuer.SignRaw(Header(), "{\"sub\":"), TokenFailure.Malformed),
            ("payload a JSON array, validly signed", Issuer.SignRaw(Header(), "[\"sub\"]"), TokenFailure.Malformed),
            ("sub twice, the second spelled with an escape, validly signed", Issuer.SignRaw(Header(), Payload(attacker, now).ToJsonString().TrimEnd('}') + ",\"s\\u0075b\":\"" + victim + "\"}"), TokenFailure.Malformed),
            ("exp as a string, validly signed", Issuer.SignRaw(Header(), Payload(victim, now, c => c["exp"] = "9999999999").ToJsonString()), TokenFailure.Malformed),
            ("two parts", string.Join('.', valid.Split('.')[..2]), TokenFailure.Malformed),
            ("four parts", valid + ".x", TokenFailure.Malformed),
            ("five parts (JWE shape)", valid + ".x.y", TokenFailure.Malformed),
            ("only dots", "..", TokenFailure.Malformed),
            ("Bearer prefix left on", "Bearer " + valid, TokenFailure.Malformed),
            ("no sub", Issuer.IssueToken(null), TokenFailure.NoSubject),
            ("empty sub", Issuer.SignRaw(Header(), Payload(victim, now, c => c["sub"] = "").ToJsonString()), TokenFailure.NoSubject),
            ("numeric sub", Issuer.SignRaw(Header(), Payload(victim, now, c => c["sub"] = 42).ToJsonString()), TokenFailure.NoSubject),
            ("null sub", Issuer.SignRaw(Header(), Payload(victim, now, c => c["sub"] = null).ToJsonString()), TokenFailure.NoSubject),
        };

        foreach (byte[] secret in TokenForge.PublicKeyForms(publicKey, jwk))
        {
            tokens.Add(($"HS256 with a {secret.Length}-byte form of the public key", TokenForge.SignHs256(secret, Issuer.KeyId, claims), TokenFailure.DisallowedAlgorithm));
            tokens.Add(($"HS512 with a {secret.Length}-byte form of the public key", TokenForge.Sign(TokenForge.Header("HS512", Issuer.KeyId), claims, input => HMACSHA512.HashData(secret, input)), TokenFailure.DisallowedAlgorithm));
        }

        return tokens;

        string Header() => new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = Issuer.KeyId }.ToJsonString();

        JsonObject Payload(string sub, DateTimeOffset at, Action<JsonObject>? change = null)
        {
            JsonObject payload = TokenForge.Claims(sub, Issuer.Issuer, Issuer.Audience, now: at);
            change?.Invoke(payload);
            return payload;
        }
    }

    [Fact]
    public async Task Every_bad_token_is_refused_with_its_reason_before_any_connection_or_sql()
    {
        List<(string Name, string Token, TokenFailure Reason)> tokens = await BadTokensAsync();
        long connections = _relay.Connections;
        long roundTrips = _relay.RoundTrips;
        var wrong = new List<string>();
        foreach ((string name, string token, TokenFailure reason) in tokens)
        {
            try
            {
                await using RlsSession session = await _data.OpenSessionAsync(token);
                wrong.Add($"{name}: accepted as {session.UserId}");
            }
            catch (RlsTokenException e) when (e.Reason == reason)
            {
            }
            catch (Exception e)
            {
                wrong.Add($"{name}: {e.GetType().Name} {(e as RlsTokenException)?.Reason} {e.Message}, expected {reason}");
            }
        }

        Assert.Empty(wrong);
        Assert.Equal(connections, _relay.Connections);
        Assert.Equal(roundTrips, _relay.RoundTrips);

        // The relay does see a session that is let in: the counters can move.
        await using (RlsSession session = await _data.OpenSessionAsync(Issuer.IssueToken(DevTokenIssuer.NewUserId())))
        {
            await new GuardedTodoRepository(session).ListAsync();
        }

        Assert.True(_relay.RoundTrips > roundTrips);
        output.WriteLine($"{tokens.Count} bad tokens refused, no connection, no round trip.");
        SecurityFigures.Record(nameof(Every_bad_token_is_refused_with_its_reason_before_any_connection_or_sql), tokens.Count, tokens.Count, 0, wrong.Count);
    }

    [Fact]
    public async Task A_data_source_pointing_at_a_dead_port_refuses_bad_tokens_with_token_errors_not_connection_errors()
    {
        // Nothing listens on port 1: any attempt at SQL would fail with a socket error instead of the token's reason.
        RlsDataSource dead = env.CreateDataSource(1, sessionConnectionString: "Host=127.0.0.1;Port=1;Username=nobody;Password=x;Database=none;Timeout=2");
        List<(string Name, string Token, TokenFailure Reason)> tokens = await BadTokensAsync();
        foreach ((string name, string token, TokenFailure reason) in tokens)
        {
            RlsTokenException e = await Assert.ThrowsAsync<RlsTokenException>(async () => await dead.OpenSessionAsync(token));
            Assert.True(e.Reason == reason, $"{name}: {e.Reason}, expected {reason}");
        }

        // The control: a valid token goes on to the database, where the first session's check of the session roles hits
        // the dead port.
        await Assert.ThrowsAnyAsync<global::Npgsql.NpgsqlException>(async () => await dead.OpenSessionAsync(Issuer.IssueToken(DevTokenIssuer.NewUserId())));
    }

    [Fact]
    public async Task A_token_expired_within_the_clock_skew_is_still_accepted()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        string sub = DevTokenIssuer.NewUserId();
        await using RlsSession session = await _data.OpenSessionAsync(Issuer.IssueToken(sub, new DevTokenOptions { IssuedAt = now.AddMinutes(-5), ExpiresAt = now.AddSeconds(-10) }));
        Assert.Equal(sub, session.UserId);
    }

    [Theory]
    [InlineData("' or 1=1 --")]
    [InlineData("'); DROP TABLE todos; --")]
    [InlineData("\" OR \"\"=\"")]
    [InlineData("\\'; SELECT pg_sleep(5); --")]
    [InlineData("x\"}, \"sub\": \"someone else")]
    [InlineData("%")]
    [InlineData("ユーザー 😀")]
    public async Task A_sub_holding_sql_is_stored_and_compared_as_plain_data(string sub)
    {
        string other = DevTokenIssuer.NewUserId();
        await using (RlsSession session = await _data.OpenSessionAsync(Issuer.IssueToken(other)))
        {
            await new GuardedTodoRepository(session).InsertAsync(new GuardedTodo { Task = "not yours" });
        }

        await using (RlsSession session = await _data.OpenSessionAsync(Issuer.IssueToken(sub)))
        {
            var todos = new GuardedTodoRepository(session);
            GuardedTodo mine = await todos.InsertAsync(new GuardedTodo { Task = "mine" });
            Assert.Equal(sub, mine.UserId);
            Assert.Equal(sub, await session.QuerySingleOrDefaultAsync<string>("SELECT auth.user_id()", null, default));

            IReadOnlyList<GuardedTodo> visible = await todos.ListAsync();
            Assert.Equal([mine.Id], visible.Select(t => t.Id));
            Assert.Equal([mine.Id], (await todos.ListMineAsync()).Select(t => t.Id));
        }

        Assert.Equal(1L, await env.AdminScalarAsync<long>("SELECT count(*) FROM todos WHERE user_id = @sub", ("sub", sub)));
        Assert.True(await env.AdminScalarAsync<long>("SELECT count(*) FROM todos WHERE user_id <> @sub", ("sub", sub)) > 0);
        SecurityFigures.Record(nameof(A_sub_holding_sql_is_stored_and_compared_as_plain_data), 6, 1, 0, 0);
    }

    [Fact]
    public async Task A_role_claim_in_the_token_never_chooses_the_database_role()
    {
        string sub = DevTokenIssuer.NewUserId();
        foreach (string role in new[] { "postgres", env.OwnerRole, "anonymous", "admin" })
        {
            await using RlsSession session = await _data.OpenSessionAsync(Issuer.IssueToken(sub, new DevTokenOptions { Role = role }));
            Assert.Equal("authenticated", await session.QuerySingleOrDefaultAsync<string>("SELECT current_user::text", null, default));
            Assert.Equal(role, await session.QuerySingleOrDefaultAsync<string>("SELECT auth.session() ->> 'role'", null, default));
        }
    }

    [Fact]
    public async Task A_sub_with_a_nul_escape_fails_closed()
    {
        // jsonb cannot hold \u0000: the claims never reach a policy, so every statement fails and nothing is visible.
        string sub = "user_nul\0" + Guid.NewGuid().ToString("N");
        string token = Issuer.IssueToken(sub);
        RlsSession session;
        try
        {
            session = await _data.OpenSessionAsync(token);
        }
        catch (RlsTokenException)
        {
            return;
        }

        await using (session)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => new GuardedTodoRepository(session).ListAsync());
            await Assert.ThrowsAnyAsync<Exception>(() => new GuardedTodoRepository(session).InsertAsync(new GuardedTodo { Task = "x" }));
        }
    }

    [Fact]
    public async Task An_unknown_kid_is_refused_even_after_a_key_refresh_and_refreshes_are_rate_limited()
    {
        await using DevTokenIssuer issuer = await DevTokenIssuer.StartAsync("client_rotation");
        RlsDataSource data = env.CreateDataSource(2, issuer.ValidationOptions with { MinimumRefreshInterval = TimeSpan.FromSeconds(30) });
        string sub = DevTokenIssuer.NewUserId();

        await using (RlsSession first = await data.OpenSessionAsync(issuer.IssueToken(sub)))
        {
            Assert.Equal(sub, first.UserId);
        }

        int fetches = issuer.JwksRequests;
        for (int i = 0; i < 50; i++)
        {
            RlsTokenException e = await Assert.ThrowsAsync<RlsTokenException>(async () =>
                await data.OpenSessionAsync(issuer.IssueToken(sub, new DevTokenOptions { KeyId = "kid_" + i, Signing = DevTokenSigning.OtherKey })));
            Assert.Equal(TokenFailure.UnknownKey, e.Reason);
        }

        // Fifty unknown kids in a burst cost at most one more fetch of the JWKS.
        Assert.InRange(issuer.JwksRequests - fetches, 0, 1);

        // A data source that may refresh at once: a rotated key is picked up, a key never published still is not.
        RlsDataSource eager = env.CreateDataSource(2, issuer.ValidationOptions with { MinimumRefreshInterval = TimeSpan.Zero });
        await using (await eager.OpenSessionAsync(issuer.IssueToken(sub)))
        {
        }

        issuer.RotateKey(keepPreviousKeys: true);
        await using (RlsSession rotated = await eager.OpenSessionAsync(issuer.IssueToken(sub)))
        {
            Assert.Equal(sub, rotated.UserId);
        }

        // Even an eager data source refreshes at most about once a second.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        int before = issuer.JwksRequests;
        RlsTokenException unknown = await Assert.ThrowsAsync<RlsTokenException>(async () =>
            await eager.OpenSessionAsync(issuer.IssueToken(sub, new DevTokenOptions { KeyId = "kid_never_published", Signing = DevTokenSigning.OtherKey })));
        Assert.Equal(TokenFailure.UnknownKey, unknown.Reason);
        Assert.True(issuer.JwksRequests > before, "the unknown kid should have caused a refresh");
        SecurityFigures.Record(nameof(An_unknown_kid_is_refused_even_after_a_key_refresh_and_refreshes_are_rate_limited), 53, 51, 0, 0);
    }
}
