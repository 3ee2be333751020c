using Microsoft.Extensions.DependencyInjection;

namespace RlsSchema.EntityFrameworkCore.Migrations;

/// <summary>Registers the services that carry the annotated entities' row-level security into EF migrations.</summary>
internal static class MigrationServices
{
    /// <summary>Adds the migrations' services to EF Core's internal service provider.</summary>
    /// <param name="services">EF Core's internal services.</param>
    public static void Add(IServiceCollection services)
    {
    }
}
