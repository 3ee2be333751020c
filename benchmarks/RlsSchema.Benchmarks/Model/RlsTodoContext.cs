using Microsoft.EntityFrameworkCore;
using RlsSchema.Tests.Seed;

namespace RlsSchema.Benchmarks.Model;

/// <summary>
/// EF Core under row-level security: the same mapping as <see cref="EfTodoContext"/> without its query filter,
/// configured with <c>UseRlsSchema()</c> and bound to the user's session, so that Postgres alone decides the rows.
/// </summary>
internal sealed class RlsTodoContext(DbContextOptions<RlsTodoContext> options) : DbContext(options)
{
    public DbSet<Todo> Todos => Set<Todo>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) => EfTodoContext.MapTodos(modelBuilder);
}
