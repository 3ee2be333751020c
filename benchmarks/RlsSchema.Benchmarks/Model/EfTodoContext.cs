using Microsoft.EntityFrameworkCore;
using RlsSchema.Tests.Seed;

namespace RlsSchema.Benchmarks.Model;

/// <summary>
/// The application-side alternative: EF Core as the owner, with the user's id in a global query filter, so that
/// every query on <see cref="Todos"/> gets <c>WHERE user_id = @currentUser</c> added by EF rather than by Postgres.
/// </summary>
internal sealed class EfTodoContext : DbContext
{
    public EfTodoContext(DbContextOptions<EfTodoContext> options)
        : base(options)
    {
    }

    /// <summary>Set per request; the filter reads it each time a query runs.</summary>
    public string CurrentUserId { get; set; } = "";

    public DbSet<Todo> Todos => Set<Todo>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        MapTodos(modelBuilder).HasQueryFilter(t => t.UserId == CurrentUserId);

    /// <summary>The todos table's mapping, shared with <see cref="RlsTodoContext"/>.</summary>
    public static Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<Todo> MapTodos(ModelBuilder modelBuilder)
    {
        var todo = modelBuilder.Entity<Todo>();
        todo.ToTable("todos");
        todo.HasKey(t => t.Id);
        todo.Property(t => t.Id).HasColumnName("id");
        todo.Property(t => t.UserId).HasColumnName("user_id");
        todo.Property(t => t.Task).HasColumnName("task");
        todo.Property(t => t.IsComplete).HasColumnName("is_complete");
        todo.Property(t => t.InsertedAt).HasColumnName("inserted_at");
        return todo;
    }
}
