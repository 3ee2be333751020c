using System;
using System.Text.RegularExpressions;
using Npgsql;

namespace RlsSchema.Npgsql;

/// <summary>Turns PostgreSQL's refusals into the runtime's typed exceptions.</summary>
internal static partial class PostgresErrors
{
    public const string InsufficientPrivilege = "42501";
    public const string ReadOnlySqlTransaction = "25006";
    public const string InFailedTransaction = "25P02";

    public static InvalidOperationException WriteInReadOnlySession(PostgresException e) => new(
        "The session is read-only (opened with OpenReadOnlySessionAsync), so its statements may run on a standby and cannot write: "
        + $"PostgreSQL said \"{e.MessageText}\". Open the session with OpenSessionAsync to write. Nothing was written.",
        e);

    public static RlsAuthorizationException ToAuthorization(PostgresException e)
    {
        var table = e.TableName;
        if (table is null && TableInMessage().Match(e.MessageText) is { Success: true } match)
        {
            table = match.Groups[1].Value;
        }

        return new RlsAuthorizationException(e.SqlState, e.MessageText, table, e);
    }

    // "new row violates row-level security policy for table "todos"" and "permission denied for table todos".
    [GeneratedRegex("""for table "?([^"\s]+)"?""")]
    private static partial Regex TableInMessage();
}
