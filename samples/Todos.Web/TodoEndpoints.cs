using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Todos.Web;

/// <summary>
/// The todos API. Every statement runs in the request's session, so PostgreSQL's policies decide: another user's todo is
/// simply not there (404). An anonymous request is told to sign in (401).
/// </summary>
internal static class TodoEndpoints
{
    public static void MapTodos(this IEndpointRouteBuilder app)
    {
        // No authorization attribute: a request without a token runs as the anonymous role, which no todos policy names,
        // so it holds no privilege on the table; PostgreSQL refuses its first statement (42501) and the web layer answers
        // 401 (sign in). The database, not the endpoint, is what refuses.
        var todos = app.MapGroup("/api/todos");

        todos.MapGet("/", (TodoRepository repository, CancellationToken cancellationToken) =>
            repository.ListAsync(cancellationToken));

        todos.MapGet("/{id:long}", async Task<Results<Ok<Todo>, NotFound>> (long id, TodoRepository repository, CancellationToken cancellationToken) =>
            await repository.GetAsync(id, cancellationToken) is { } todo ? TypedResults.Ok(todo) : TypedResults.NotFound());

        todos.MapPost("/", async Task<Results<Created<Todo>, ValidationProblem>> (NewTodo body, TodoRepository repository, CancellationToken cancellationToken) =>
        {
            if (InvalidTask(body.Task) is { } problem)
            {
                return problem;
            }

            var todo = await repository.InsertAsync(new Todo { Task = body.Task!.Trim() }, cancellationToken);
            return TypedResults.Created($"/api/todos/{todo.Id}", todo);
        });

        todos.MapPatch("/{id:long}", async Task<Results<Ok<Todo>, NotFound, ValidationProblem>> (long id, TodoChange body, TodoRepository repository, CancellationToken cancellationToken) =>
        {
            if (body.Task is not null && InvalidTask(body.Task) is { } problem)
            {
                return problem;
            }

            if (await repository.GetAsync(id, cancellationToken) is not { } todo)
            {
                return TypedResults.NotFound();
            }

            todo.Task = body.Task?.Trim() ?? todo.Task;
            todo.IsComplete = body.IsComplete ?? todo.IsComplete;
            return await repository.UpdateAsync(todo, cancellationToken) is { } updated ? TypedResults.Ok(updated) : TypedResults.NotFound();
        });

        todos.MapDelete("/{id:long}", async Task<Results<NoContent, NotFound>> (long id, TodoRepository repository, CancellationToken cancellationToken) =>
            await repository.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound());
    }

    /// <summary>The longest task the API stores, in characters.</summary>
    public const int MaxTaskLength = 1000;

    // The table's check (char_length(task) > 0) would refuse an empty task too, and PostgreSQL a NUL (text cannot hold
    // one, 22021), but as database errors (a 500); say them as a 400 first. The length limit keeps a request from
    // storing megabytes.
    private static ValidationProblem? InvalidTask(string? task) =>
        string.IsNullOrWhiteSpace(task) ? Problem("A todo needs a task.")
        : task.Contains('\0', System.StringComparison.Ordinal) ? Problem("A task may not contain a NUL character (\\u0000).")
        : task.Length > MaxTaskLength ? Problem($"A task has at most {MaxTaskLength} characters.")
        : null;

    private static ValidationProblem Problem(string message) =>
        TypedResults.ValidationProblem(new System.Collections.Generic.Dictionary<string, string[]> { ["task"] = [message] });
}

/// <summary>The body of <c>POST /api/todos</c>.</summary>
internal sealed record NewTodo(string? Task);

/// <summary>The body of <c>PATCH /api/todos/{id}</c>: what to change.</summary>
internal sealed record TodoChange(string? Task, bool? IsComplete);
