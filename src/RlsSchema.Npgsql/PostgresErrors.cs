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
    public const string UndefinedFunction = "42883";

    public const string InvalidSchemaName = "3F000";

    /// <summary>
    /// Whether the error is a call of a function that does not exist (42883, which is also an operator that does not), or
    /// of one in a schema that does not (3F000).
    /// </summary>
    public static bool IsMissingFunction(PostgresException e) =>
        (e.SqlState == UndefinedFunction && e.MessageText.StartsWith("function ", StringComparison.Ordinal)) || e.SqlState == InvalidSchemaName;

    public static RlsMigrationException MissingFunction(PostgresException e, string migration)
    {
        var what = FunctionInMessage().Match(e.MessageText) is { Success: true } match
            ? "calls the function " + match.Groups[1].Value + ", which does not exist"
            : "refers to a schema that does not exist, such as the schema of a function it calls";
        return new RlsMigrationException(
            $"{migration} {what} (PostgreSQL said \"{e.MessageText}\"). "
            + "A function that a policy or a default calls is application SQL: it must be created by an earlier (application) "
            + "migration, ordered before the one that calls it. Add that migration, or correct the function's name and argument "
            + "types in [SqlFunction]. This migration was not applied.",
            e);
    }

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

    // "function app.feature_enabled(unknown) does not exist".
    [GeneratedRegex("""^function (.+?\(.*?\)) does not exist""")]
    private static partial Regex FunctionInMessage();

    // "new row violates row-level security policy for table "todos"" and "permission denied for table todos".
    [GeneratedRegex("""for table "?([^"\s]+)"?""")]
    private static partial Regex TableInMessage();
}
