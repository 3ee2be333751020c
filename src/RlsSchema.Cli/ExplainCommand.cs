using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Npgsql;
using RlsSchema.Npgsql.Explain;

namespace RlsSchema.Cli;

/// <summary>What <c>rlsschema explain</c> is asked: whose session, which command, on which row.</summary>
/// <param name="Connection">The owner's connection, or null for DATABASE_URL.</param>
/// <param name="Token">The end user's JWT, or null with <paramref name="Anonymous"/>.</param>
/// <param name="Anonymous">Whether the session has no token.</param>
/// <param name="JwksUrl">The issuer's JWKS URL, or null for RLS_JWKS_URL / WORKOS_CLIENT_ID as the runtime reads them.</param>
/// <param name="Table">The table.</param>
/// <param name="Command">The command.</param>
/// <param name="Key">The row's key, for SELECT, UPDATE and DELETE.</param>
/// <param name="Values">The new row's (or the update's) column values as a JSON object.</param>
internal sealed record ExplainRequest(string? Connection, string? Token, bool Anonymous, string? JwksUrl, string Table, string Command, string? Key, string? Values);

internal static partial class Commands
{
    public static async Task<int> ExplainAsync(ToolConsole console, ExplainRequest request, CancellationToken cancellationToken)
    {
        if ((request.Token is null) == !request.Anonymous)
        {
            throw new CliException("Say whose session to explain: --token <jwt> for a signed-in user, or --anonymous for a request without a token (not both).");
        }

        ValidatedToken? token = request.Token is null ? null : await ValidateAsync(request.Token, request.JwksUrl, cancellationToken);
        var question = new AccessQuestion(
            request.Table,
            request.Command,
            token is null ? "anonymous" : "authenticated",
            token?.ClaimsJson,
            request.Key,
            request.Values is null ? null : ParseValues(request.Values));
        await using var db = new NpgsqlConnection(PostgresConnectionString.ToNpgsql(RequireConnection(request.Connection)));
        await db.OpenAsync(cancellationToken);
        var explanation = await AccessExplainer.ExplainAsync(db, question, cancellationToken);
        console.Output.Write(explanation.ToString());
        return explanation.Allowed ? 0 : 1;
    }

    // The token is validated as the runtime validates it: signature against the issuer's JWKS, issuer, audience, lifetime.
    private static async Task<ValidatedToken> ValidateAsync(string token, string? jwksUrl, CancellationToken cancellationToken)
    {
        var environment = new EnvironmentVariables(null);
        var options = jwksUrl is not null
            ? new JwtValidationOptions(EnvironmentVariables.JwksUri(jwksUrl, "--jwks-url")) { Issuer = environment.Read("RLS_JWT_ISSUER"), Audience = environment.Read("RLS_JWT_AUDIENCE") }
            : environment.Jwt() ?? throw new CliException("--token is validated as the runtime validates it, against the issuer's JWKS: pass --jwks-url or set RLS_JWKS_URL (or WORKOS_CLIENT_ID).");
        using var validator = new JwtValidator(options);
        try
        {
            return await validator.ValidateAsync(token, cancellationToken);
        }
        catch (RlsTokenException e)
        {
            throw new CliException($"The token is not valid ({e.Reason}): {e.Message}");
        }
    }

    private static Dictionary<string, string?> ParseValues(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new CliException("--values is a JSON object of column names and values, e.g. '{\"task\": \"Buy milk\"}'.");
            }

            return document.RootElement.EnumerateObject().ToDictionary(
                p => p.Name,
                p => p.Value.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.String => p.Value.GetString(),
                    _ => p.Value.GetRawText(),
                },
                StringComparer.Ordinal);
        }
        catch (JsonException e)
        {
            throw new CliException("--values is not JSON: " + e.Message);
        }
    }
}
