using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Todos;

/// <summary>The app's DbContext, as any EF Core app has one.</summary>
public sealed class TodoContext(DbContextOptions<TodoContext> options) : DbContext(options)
{
    /// <summary>The todos the context's user may see.</summary>
    public DbSet<Todo> Todos => Set<Todo>();

    /// <summary>The options of every context of the app: Npgsql, snake_case names, and RlsSchema.</summary>
    /// <param name="connectionString">The database.</param>
    /// <returns>The options.</returns>
    public static DbContextOptions<TodoContext> Options(string connectionString) =>
        new DbContextOptionsBuilder<TodoContext>()
            .UseNpgsql(connectionString)
            .UseSnakeCaseNamingConvention()
            .UseRlsSchema()
            .Options;
}

/// <summary>
/// How <c>dotnet ef</c> makes the context: <c>migrations add</c> and <c>migrations script</c> connect to no database;
/// <c>database update</c> uses <c>TODOS_CONNECTION</c> (the sample itself migrates its throwaway database at start).
/// </summary>
public sealed class TodoContextFactory : IDesignTimeDbContextFactory<TodoContext>
{
    /// <inheritdoc />
    public TodoContext CreateDbContext(string[] args) =>
        new(TodoContext.Options(System.Environment.GetEnvironmentVariable("TODOS_CONNECTION") ?? "Host=localhost;Database=todos"));
}
