using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using RlsSchema.Npgsql;
using RlsSchema.Security.Tests.Entities;
using RlsSchema.Security.Tests.Infrastructure;
using RlsSchema.Testing;

namespace RlsSchema.Security.Tests.ModelBased;

/// <summary>A result that differs from what the model says the caller may see or change.</summary>
public sealed class ModelDivergenceException(string message) : Exception(message);

/// <summary>
/// Runs a generated script of steps against the real database through the generated <see cref="GuardedTodoRepository"/>
/// (or an EF Core context bound to the session, <see cref="ThroughEfCore"/>),
/// each step in its own session, and checks every result against <see cref="TodoModel"/>. Each run has fresh users,
/// so runs may share the table and even run in parallel: a row of another run that came back would be a leak too.
/// </summary>
public sealed class ScriptRunner(SecurityEnvironment env, RlsDataSource data)
{
    private long _operations;
    private long _attacks;
    private int _runs;

    /// <summary>Steps run so far.</summary>
    public long Operations => Interlocked.Read(ref _operations);

    /// <summary>Steps that were attacks: forged tokens, anonymous writes and reads, requests aimed at other users' rows or in their name.</summary>
    public long Attacks => Interlocked.Read(ref _attacks);

    /// <summary>
    /// A defect to inject, to show the model catches it: the session of user 0 is opened with user 1's token,
    /// as a runtime that mixed up tokens would.
    /// </summary>
    public bool InjectTokenMixUp { get; init; }

    /// <summary>Runs each step through an EF Core context bound to the step's session instead of the generated repository.</summary>
    public bool ThroughEfCore { get; init; }

    private DbContextOptions<GuardedTodoContext>? _efOptions;

    /// <summary>Runs one script from an empty model.</summary>
    public async Task RunAsync(Step[] steps)
    {
        int run = Interlocked.Increment(ref _runs);
        string tag = run.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "_" + Guid.NewGuid().ToString("N")[..8];

        // Ordinary ids and ids made to hurt: SQL, JSON and unicode in the sub must stay plain data.
        string[] users = [DevTokenIssuer.NewUserId() + "_" + tag, "' or 1=1 -- " + tag, "ユーザー\"},\\\"sub\\\":\"" + tag];
        var tokens = new Dictionary<(Actor, int, Forgery), string>();
        var model = new TodoModel();

        for (int i = 0; i < steps.Length; i++)
        {
            Step step = steps[i];
            Interlocked.Increment(ref _operations);
            if (step.Actor != Actor.User || step.Aim == Aim.OthersRow && step.Operation is Operation.Get or Operation.Update or Operation.Delete
                || step.Owner == OwnerValue.Victim && step.Operation is Operation.Insert or Operation.Update)
            {
                Interlocked.Increment(ref _attacks);
            }

            try
            {
                await RunStepAsync(step, users, tokens, model);
            }
            catch (ModelDivergenceException e)
            {
                throw new ModelDivergenceException($"step {i + 1} of {steps.Length}, {step}: {e.Message}");
            }
        }

        await CheckStoredRowsAsync(users, model);
    }

    private async Task RunStepAsync(Step step, string[] users, Dictionary<(Actor, int, Forgery), string> tokens, TodoModel model)
    {
        string? actor = step.Actor == Actor.User ? users[step.User] : null;
        string victim = users[step.Victim];

        if (step.Actor == Actor.Forger)
        {
            string forged = Token(tokens, step, users);
            try
            {
                await using RlsSession leaked = await data.OpenSessionAsync(forged);
                throw new ModelDivergenceException($"a {step.Forgery} token opened a session as {leaked.UserId}");
            }
            catch (RlsTokenException e) when (e.Reason == ExpectedFailure(step.Forgery))
            {
                return;
            }
            catch (RlsTokenException e)
            {
                throw new ModelDivergenceException($"a {step.Forgery} token was refused for {e.Reason}, expected {ExpectedFailure(step.Forgery)}");
            }
        }

        string? token = actor is null ? null : Token(tokens, step, users);
        await using RlsSession session = token is null ? await data.OpenAnonymousSessionAsync() : await data.OpenSessionAsync(token);
        if (session.UserId != actor && !InjectTokenMixUp)
        {
            throw new ModelDivergenceException($"the session is for {session.UserId ?? "anonymous"}, expected {actor ?? "anonymous"}");
        }

        ITodoStore repository = ThroughEfCore
            ? new EfStore(session, _efOptions ??= GuardedTodoContext.Options(env.Database.AuthenticatorConnectionString))
            : new RepositoryStore(session);
        switch (step.Operation)
        {
            case Operation.Insert:
            {
                string intended = step.Owner switch { OwnerValue.Self => actor ?? "", OwnerValue.Victim => victim, _ => "" };
                string? owner = intended.Length == 0 ? actor : intended;
                Outcome expected = actor is null || owner != actor ? Outcome.Refused : step.Task.Length == 0 ? Outcome.Invalid : Outcome.Done;
                (Outcome actual, GuardedTodo? row) = await Attempt(async () => await repository.InsertAsync(new GuardedTodo { UserId = intended, Task = step.Task, IsComplete = step.IsComplete }));
                Expect(expected, actual);
                if (row is not null)
                {
                    if (row.UserId != actor || row.Task != step.Task || row.IsComplete != step.IsComplete || model.Known(row.Id) || row.InsertedAt == default)
                    {
                        throw new ModelDivergenceException($"insert returned {Show(row)}");
                    }

                    model.Put(new ModelRow(row.Id, row.UserId, row.Task, row.IsComplete, row.InsertedAt));
                }

                break;
            }

            case Operation.Get:
            {
                long id = model.Target(step.Aim, step.Pick, actor);
                GuardedTodo? row = await repository.GetAsync(id);
                ExpectSame(model.Owned(id, actor), row, $"get {id}");
                break;
            }

            case Operation.List:
            case Operation.ListMine:
            {
                IReadOnlyList<GuardedTodo> rows = step.Operation == Operation.List ? await repository.ListAsync() : await repository.ListMineAsync();
                IReadOnlyList<ModelRow> expected = model.VisibleTo(actor);
                if (rows.Count != expected.Count)
                {
                    throw new ModelDivergenceException($"{step.Operation} returned {rows.Count} rows, expected {expected.Count}: {string.Join("; ", rows.Select(Show))}");
                }

                for (int i = 0; i < rows.Count; i++)
                {
                    ExpectSame(expected[i], rows[i], $"{step.Operation} row {i}");
                }

                break;
            }

            case Operation.Update:
            {
                long id = model.Target(step.Aim, step.Pick, actor);
                ModelRow? current = model.Owned(id, actor);
                string intended = step.Owner switch { OwnerValue.Self => actor ?? "", OwnerValue.Victim => victim, _ => "" };
                Outcome expected = current is null ? Outcome.Done
                    : (intended.Length == 0 ? current.UserId : intended) != actor ? Outcome.Refused
                    : step.Task.Length == 0 ? Outcome.Invalid
                    : Outcome.Done;
                (Outcome actual, GuardedTodo? row) = await Attempt(() => repository.UpdateAsync(new GuardedTodo { Id = id, UserId = intended, Task = step.Task, IsComplete = step.IsComplete }));
                Expect(expected, actual);
                if (actual == Outcome.Done)
                {
                    ModelRow? updated = current is null ? null : current with { Task = step.Task, IsComplete = step.IsComplete };
                    ExpectSame(updated, row, $"update {id}");
                    if (updated is not null)
                    {
                        model.Put(updated);
                    }
                }

                break;
            }

            case Operation.Delete:
            {
                long id = model.Target(step.Aim, step.Pick, actor);
                bool expected = model.Owned(id, actor) is not null;
                bool deleted = await repository.DeleteAsync(id);
                if (deleted != expected)
                {
                    throw new ModelDivergenceException($"delete {id} returned {deleted}, expected {expected}");
                }

                if (deleted)
                {
                    model.Delete(id);
                }

                break;
            }
        }
    }

    private async Task CheckStoredRowsAsync(string[] users, TodoModel model)
    {
        // As the superuser, past every policy: the table must hold exactly what the model says, nothing half-written.
        List<object?[]> stored = await Sql.RowsAsync(env.AdminConnectionString,
            "SELECT id, user_id, task, is_complete, inserted_at FROM todos WHERE user_id = ANY(@users) ORDER BY id", ("users", users));
        List<ModelRow> expected = model.Rows.OrderBy(r => r.Id).ToList();
        bool same = stored.Count == expected.Count && stored.Zip(expected).All(p =>
            (long)p.First[0]! == p.Second.Id && (string)p.First[1]! == p.Second.UserId && (string)p.First[2]! == p.Second.Task
            && (bool)p.First[3]! == p.Second.IsComplete && new DateTimeOffset((DateTime)p.First[4]!) == p.Second.InsertedAt);
        if (!same)
        {
            throw new ModelDivergenceException(
                $"the table holds {stored.Count} rows of this run's users, the model {expected.Count}: " +
                string.Join("; ", stored.Select(r => string.Join(",", r))) + " vs " + string.Join("; ", expected));
        }
    }

    private string Token(Dictionary<(Actor, int, Forgery), string> tokens, Step step, string[] users)
    {
        int user = step.Actor == Actor.Forger ? step.Victim : step.User;
        if (InjectTokenMixUp && step.Actor == Actor.User && user == 0)
        {
            user = 1;
        }

        (Actor, int, Forgery) key = (step.Actor, user, step.Actor == Actor.Forger ? step.Forgery : default);
        if (!tokens.TryGetValue(key, out string? token))
        {
            DevTokenIssuer issuer = env.Issuer;
            string sub = users[user];
            DateTimeOffset now = DateTimeOffset.UtcNow;
            token = step.Actor != Actor.Forger ? issuer.IssueToken(sub) : step.Forgery switch
            {
                Forgery.TamperedSubject => issuer.IssueToken(users[step.User], new DevTokenOptions { TamperedSubject = sub }),
                Forgery.Unsigned => issuer.IssueToken(sub, new DevTokenOptions { Signing = DevTokenSigning.None }),
                Forgery.KeyConfusion => issuer.IssueToken(sub, new DevTokenOptions { Signing = DevTokenSigning.Hs256WithPublicKey }),
                Forgery.OtherKey => issuer.IssueToken(sub, new DevTokenOptions { Signing = DevTokenSigning.OtherKey }),
                _ => issuer.IssueToken(sub, new DevTokenOptions { IssuedAt = now.AddHours(-2), ExpiresAt = now.AddHours(-1) }),
            };
            tokens[key] = token;
        }

        return token;
    }

    private static TokenFailure ExpectedFailure(Forgery forgery) => forgery switch
    {
        Forgery.TamperedSubject or Forgery.OtherKey => TokenFailure.BadSignature,
        Forgery.Unsigned or Forgery.KeyConfusion => TokenFailure.DisallowedAlgorithm,
        _ => TokenFailure.Expired,
    };

    private enum Outcome
    {
        Done,
        Refused,
        Invalid,
    }

    private static async Task<(Outcome, GuardedTodo?)> Attempt(Func<Task<GuardedTodo?>> write)
    {
        try
        {
            return (Outcome.Done, await write());
        }
        catch (RlsAuthorizationException)
        {
            return (Outcome.Refused, null);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation)
        {
            return (Outcome.Invalid, null);
        }
    }

    private static void Expect(Outcome expected, Outcome actual)
    {
        if (expected != actual)
        {
            throw new ModelDivergenceException($"the write was {actual}, expected {expected}");
        }
    }

    private static void ExpectSame(ModelRow? expected, GuardedTodo? actual, string what)
    {
        bool same = expected is null
            ? actual is null
            : actual is not null && actual.Id == expected.Id && actual.UserId == expected.UserId && actual.Task == expected.Task
              && actual.IsComplete == expected.IsComplete && actual.InsertedAt == expected.InsertedAt;
        if (!same)
        {
            throw new ModelDivergenceException($"{what} returned {(actual is null ? "nothing" : Show(actual))}, expected {(expected is null ? "nothing" : expected.ToString())}");
        }
    }

    private static string Show(GuardedTodo t) => $"GuardedTodo {{ Id = {t.Id}, UserId = {t.UserId}, Task = {t.Task}, IsComplete = {t.IsComplete}, InsertedAt = {t.InsertedAt:O} }}";
}
