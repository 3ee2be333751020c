using Microsoft.EntityFrameworkCore;
using RlsSchema.Tests.Seed;

namespace RlsSchema.EntityFrameworkCore.Tests.Runtime;

/// <summary>The seed's todos as an EF Core user maps them: snake_case names, the server's id and timestamp.</summary>
public sealed class TodoContext(DbContextOptions<TodoContext> options) : DbContext(options)
{
    public DbSet<Todo> Todos => Set<Todo>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Todo>().Property(t => t.InsertedAt).HasDefaultValueSql("now()");
    }

    /// <summary>The options under test: Npgsql on the given connection, snake_case names, RlsSchema.</summary>
    public static DbContextOptionsBuilder<TodoContext> Configure(DbContextOptionsBuilder<TodoContext> options, string connectionString) =>
        options.UseNpgsql(connectionString).UseSnakeCaseNamingConvention().UseRlsSchema();

    /// <summary>A context on <paramref name="connectionString"/>, bound to no session.</summary>
    public static TodoContext Create(string connectionString) => new(Configure(new DbContextOptionsBuilder<TodoContext>(), connectionString).Options);
}
