using Microsoft.EntityFrameworkCore;
using ConformanceShop;

namespace RlsSchema.EfCore.Conformance.Tests.Infrastructure;

/// <summary>
/// The same entities as EF Core maps them: the Npgsql provider and EFCore.NamingConventions' snake_case, with no
/// configuration beyond the entities' own attributes. No <c>DbSet</c> properties, so each table is named after its
/// class, as RlsSchema names it.
/// </summary>
public sealed class ConformanceContext(string connectionString = "Host=unused") : DbContext
{
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
        optionsBuilder.UseNpgsql(connectionString).UseSnakeCaseNamingConvention();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        foreach (var type in ConformanceEntities.All)
        {
            modelBuilder.Entity(type);
        }
    }
}
