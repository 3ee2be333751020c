using System;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using RlsSchema.Npgsql;
using Todos;

// dotnet run --project samples/Todos.EfCore   a throwaway PostgreSQL migrated by EF Core, and two users, Alice and Bob,
//                                             who read and write through a DbContext bound to their session
var transcript = new Transcript(Console.Out);
transcript.Title("Todos with EF Core: each user's rows, decided by PostgreSQL row-level security");
try
{
    await EfCoreDemo.RunAsync(transcript);
}
catch (Exception e) when (e is DbUpdateException or RlsAuthorizationException or PostgresException)
{
    // A statement the database refused where no check expected it: the context did not run as the user it was bound to.
    transcript.Step("the demo stops", e.GetBaseException().Message);
    transcript.Expect(false, "Every statement ran as the signed-in user its context was bound to");
}
catch (Exception e) when (e is InvalidOperationException or ArgumentException or NpgsqlException or RlsTokenException)
{
    // A setting that is missing or wrong (DATABASE_URL, the postgres OS user, ...): the message says which and what to do.
    Console.Error.WriteLine("Todos.EfCore could not run: " + e.Message);
    return 1;
}

transcript.Summary();
return transcript.ExitCode;
