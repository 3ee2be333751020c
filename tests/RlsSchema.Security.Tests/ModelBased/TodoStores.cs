using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using RlsSchema.EntityFrameworkCore;
using RlsSchema.Npgsql;
using RlsSchema.Security.Tests.Entities;

namespace RlsSchema.Security.Tests.ModelBased;

/// <summary>What a step does to the todos, through the generated repository or through an EF Core context.</summary>
public interface ITodoStore
{
    Task<GuardedTodo?> InsertAsync(GuardedTodo todo);

    Task<GuardedTodo?> GetAsync(long id);

    Task<IReadOnlyList<GuardedTodo>> ListAsync();

    Task<IReadOnlyList<GuardedTodo>> ListMineAsync();

    /// <summary>Updates task and completion (and the owner when given); the row as stored, or null when no row was visible.</summary>
    Task<GuardedTodo?> UpdateAsync(GuardedTodo todo);

    Task<bool> DeleteAsync(long id);
}

/// <summary>The generated Dapper repository.</summary>
public sealed class RepositoryStore(RlsSession session) : ITodoStore
{
    private readonly GuardedTodoRepository _repository = new(session);

    public Task<GuardedTodo?> InsertAsync(GuardedTodo todo) => _repository.InsertAsync(todo)!;

    public Task<GuardedTodo?> GetAsync(long id) => _repository.GetAsync(id);

    public Task<IReadOnlyList<GuardedTodo>> ListAsync() => _repository.ListAsync();

    public Task<IReadOnlyList<GuardedTodo>> ListMineAsync() => _repository.ListMineAsync();

    public Task<GuardedTodo?> UpdateAsync(GuardedTodo todo) => _repository.UpdateAsync(todo);

    public Task<bool> DeleteAsync(long id) => _repository.DeleteAsync(id);
}

/// <summary>
/// An EF Core context configured with <c>UseRlsSchema()</c> and bound to the step's session, used as an EF Core user
/// would: LINQ for reads, <c>SaveChanges</c> for writes. A write that affected no row (a row the policies hide) is
/// EF's <see cref="DbUpdateConcurrencyException"/>: the repository's null or false.
/// </summary>
public sealed class EfStore(RlsSession session, DbContextOptions<GuardedTodoContext> options) : ITodoStore
{
    public async Task<GuardedTodo?> InsertAsync(GuardedTodo todo)
    {
        await using var context = Context();
        context.Todos.Add(todo);
        await SaveAsync(context);
        return todo;
    }

    public async Task<GuardedTodo?> GetAsync(long id)
    {
        await using var context = Context();
        return await context.Todos.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id);
    }

    public async Task<IReadOnlyList<GuardedTodo>> ListAsync()
    {
        await using var context = Context();
        return await context.Todos.AsNoTracking().OrderBy(t => t.Id).ToListAsync();
    }

    public async Task<IReadOnlyList<GuardedTodo>> ListMineAsync()
    {
        await using var context = Context();
        return await context.Todos.AsNoTracking().Where(t => t.UserId == session.UserId).OrderBy(t => t.Id).ToListAsync();
    }

    public async Task<GuardedTodo?> UpdateAsync(GuardedTodo todo)
    {
        await using var context = Context();
        var entry = context.Attach(todo);
        entry.Property(t => t.Task).IsModified = true;
        entry.Property(t => t.IsComplete).IsModified = true;
        entry.Property(t => t.UserId).IsModified = todo.UserId.Length > 0;
        try
        {
            await SaveAsync(context);
        }
        catch (DbUpdateConcurrencyException)
        {
            return null;
        }

        context.ChangeTracker.Clear();
        return await context.Todos.AsNoTracking().SingleOrDefaultAsync(t => t.Id == todo.Id);
    }

    public async Task<bool> DeleteAsync(long id)
    {
        await using var context = Context();
        context.Remove(new GuardedTodo { Id = id });
        try
        {
            await SaveAsync(context);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }

    private GuardedTodoContext Context() => new GuardedTodoContext(options).UseSession(session);

    // A check violation is the database's answer to bad input, as the repository surfaces it.
    private static async Task SaveAsync(DbContext context)
    {
        try
        {
            await context.SaveChangesAsync();
        }
        catch (DbUpdateException e) when (e is not DbUpdateConcurrencyException && e.InnerException is PostgresException postgres)
        {
            throw postgres;
        }
    }
}

/// <summary>The guarded todos as an EF Core user maps them; the server's defaults fill an empty owner, the id and the time.</summary>
public sealed class GuardedTodoContext(DbContextOptions<GuardedTodoContext> options) : DbContext(options)
{
    public DbSet<GuardedTodo> Todos => Set<GuardedTodo>();

    public static DbContextOptions<GuardedTodoContext> Options(string sessionConnectionString) =>
        new DbContextOptionsBuilder<GuardedTodoContext>().UseNpgsql(sessionConnectionString).UseSnakeCaseNamingConvention().UseRlsSchema().Options;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var todo = modelBuilder.Entity<GuardedTodo>();
        todo.Property(t => t.UserId).HasDefaultValueSql("auth.user_id()").HasSentinel("");
        todo.Property(t => t.InsertedAt).HasDefaultValueSql("now()");
    }
}
