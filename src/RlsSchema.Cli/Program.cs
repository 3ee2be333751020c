using System;
using System.CommandLine;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Cli;

var projectOption = new Option<string?>("--project", "-p") { Description = "The project (.csproj, or its folder). Defaults to the project in the current folder." };
var connectionOption = new Option<string?>("--connection", "-c") { Description = "The database, as a postgres:// URL or an Npgsql connection string. Defaults to DATABASE_URL." };
var nameArgument = new Argument<string>("name") { Description = "The migration's name, e.g. AddDueOn: letters, digits and underscores." };

var sqlOption = new Option<bool>("--sql") { Description = "Writes an empty, numbered migration for hand-written SQL (functions, triggers, seed rows, views) instead of the model's changes; the snapshot does not change." };
var add = new Command("add", "Builds the project and writes the model's changes since the latest migration as the next migration file, with the new snapshot (rls-model.json). Writes nothing when the model has not changed.")
{
    nameArgument,
    projectOption,
    sqlOption,
};
add.SetAction((result, ct) => Run(ct, c => result.GetValue(sqlOption)
    ? Commands.AddApplicationMigrationAsync(c, result.GetValue(nameArgument)!, result.GetValue(projectOption), ct)
    : Commands.AddMigrationAsync(c, result.GetValue(nameArgument)!, result.GetValue(projectOption), ct)));

var list = new Command("list", "Lists the project's migrations and, given a database, whether each is applied or pending.")
{
    projectOption,
    connectionOption,
};
list.SetAction((result, ct) => Run(ct, c => Commands.ListMigrationsAsync(c, result.GetValue(projectOption), result.GetValue(connectionOption), ct)));

var migrations = new Command("migrations", "Writes and lists migrations.") { add, list };

var migrate = new Command("migrate", "Applies the project's pending migrations to the database, as its owner.")
{
    projectOption,
    connectionOption,
};
migrate.SetAction((result, ct) => Run(ct, c => Commands.MigrateAsync(c, result.GetValue(projectOption), result.GetValue(connectionOption), ct)));

var diff = new Command("diff", "Compares the live database with the model (the model's script applied to a scratch database on the same server) and prints the SQL that would bring the database to the model. Exit code 0 when they match, 1 when they differ.")
{
    projectOption,
    connectionOption,
};
diff.SetAction((result, ct) => Run(ct, c => Commands.DiffAsync(c, result.GetValue(projectOption), result.GetValue(connectionOption), ct)));

var lint = new Command("lint", "Checks a live database's row-level security: tables without RLS, policies that never apply, per-row auth calls, always-true modify policies, overlapping permissive policies, unindexed columns, SECURITY DEFINER functions with a mutable search_path, tables anonymous may write. Exit code 1 when a finding is an error.")
{
    connectionOption,
};
lint.SetAction((result, ct) => Run(ct, c => Commands.LintAsync(c, result.GetValue(connectionOption), ct)));

var tokenOption = new Option<string?>("--token") { Description = "The end user's JWT, validated as the runtime validates it (against --jwks-url, else RLS_JWKS_URL or WORKOS_CLIENT_ID; RLS_JWT_ISSUER and RLS_JWT_AUDIENCE when set)." };
var anonymousOption = new Option<bool>("--anonymous") { Description = "Explain a request without a token (the anonymous role)." };
var jwksOption = new Option<string?>("--jwks-url") { Description = "The issuer's JWKS URL. Defaults to RLS_JWKS_URL, else WORKOS_CLIENT_ID's." };
var tableOption = new Option<string>("--table") { Description = "The table, name or schema.name.", Required = true };
var commandOption = new Option<string>("--command") { Description = "select, insert, update or delete.", Required = true };
var keyOption = new Option<string?>("--key") { Description = "The row's primary key value, for select, update and delete." };
var valuesOption = new Option<string?>("--values") { Description = "The new row's column values as a JSON object, for insert (the other columns take their defaults); for update, the columns it sets." };
var explain = new Command("explain", "Explains whether a user's session may run a command on a row: the role the token maps to, the grant, every policy for that role and command with its USING and WITH CHECK evaluated on the row with the token's claims, and the verdict with the reason. Nothing is changed (a transaction rolled back). Exit code 0 when allowed, 1 when not.")
{
    connectionOption,
    tokenOption,
    anonymousOption,
    jwksOption,
    tableOption,
    commandOption,
    keyOption,
    valuesOption,
};
explain.SetAction((result, ct) => Run(ct, c => Commands.ExplainAsync(c, new ExplainRequest(
    result.GetValue(connectionOption), result.GetValue(tokenOption), result.GetValue(anonymousOption), result.GetValue(jwksOption),
    result.GetValue(tableOption)!, result.GetValue(commandOption)!, result.GetValue(keyOption), result.GetValue(valuesOption)), ct)));

var root = new RootCommand("rlsschema: migrations, drift checks, linting and access explanations for RlsSchema projects.") { migrations, migrate, diff, lint, explain };
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });

static async Task<int> Run(CancellationToken cancellationToken, Func<ToolConsole, Task<int>> command)
{
    var console = ToolConsole.Standard;
    try
    {
        return await command(console);
    }
    catch (CliException e)
    {
        console.Error(e.Message);
        return e.ExitCode;
    }
    catch (RlsSchema.Npgsql.RlsMigrationException e)
    {
        console.Error(e.Message);
        return 2;
    }
    catch (PostgresException e)
    {
        console.Error($"PostgreSQL refused a statement: {e.SqlState}: {e.MessageText}" + (e.Position > 0 ? $" (at character {e.Position})" : "") + (e.Where is { Length: > 0 } w ? "\n  " + w : ""));
        return 2;
    }
    catch (NpgsqlException e)
    {
        console.Error("Cannot reach the database: " + (e.InnerException?.Message ?? e.Message) + ". Check --connection or DATABASE_URL.");
        return 2;
    }
    catch (System.IO.InvalidDataException e)
    {
        // A stray or misnamed file in the migrations folder: the user renames it.
        console.Error(e.Message.ReplaceLineEndings(" "));
        return 2;
    }
    catch (Exception e) when (e is ArgumentException or System.IO.IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
    {
        console.Error(e.Message);
        return 2;
    }
    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
    {
        console.Error("Cancelled.");
        return 130;
    }
}
