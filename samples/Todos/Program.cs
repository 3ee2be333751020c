using System;
using Npgsql;
using RlsSchema.Npgsql;
using Todos;

// dotnet run --project samples/Todos                   a throwaway PostgreSQL and two users, Alice and Bob
// dotnet run --project samples/Todos -- --token <jwt>  with DATABASE_URL, DATABASE_AUTHENTICATED_URL and
//                                                      WORKOS_CLIENT_ID (or RLS_JWKS_URL) set: those services, as that user
var token = args.Length == 2 && args[0] == "--token" ? args[1] : null;
if (args.Length != 0 && token is null)
{
    Console.Error.WriteLine("Usage: Todos [--token <jwt>]");
    return 2;
}

var hosted = HostedRun.IsConfigured(Environment.GetEnvironmentVariable);
if (hosted && token is null)
{
    Console.Error.WriteLine("DATABASE_URL, DATABASE_AUTHENTICATED_URL and a JWKS are set: pass a signed-in user's token with --token <jwt>.");
    return 2;
}

if (!hosted && token is not null)
{
    Console.Error.WriteLine("--token needs DATABASE_URL, DATABASE_AUTHENTICATED_URL and WORKOS_CLIENT_ID (or RLS_JWKS_URL) to be set.");
    return 2;
}

var transcript = new Transcript(Console.Out);
transcript.Title("Todos: each user's rows, decided by PostgreSQL row-level security");
try
{
    if (hosted)
    {
        await HostedRun.RunAsync(token!, transcript);
    }
    else
    {
        await LocalDemo.RunAsync(transcript);
    }
}
catch (RlsTokenException refused)
{
    Console.Error.WriteLine($"The token was refused ({refused.Reason}): {refused.Message}");
    return 1;
}
catch (Exception e) when (e is InvalidOperationException or ArgumentException or NpgsqlException)
{
    // A setting that is missing or wrong (DATABASE_URL, the postgres OS user, ...): the message says which and what to do.
    Console.Error.WriteLine("Todos could not run: " + e.Message);
    return 1;
}

transcript.Summary();
return transcript.ExitCode;
