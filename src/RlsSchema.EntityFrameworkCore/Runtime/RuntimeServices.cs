using Microsoft.Extensions.DependencyInjection;

namespace RlsSchema.EntityFrameworkCore.Runtime;

/// <summary>Registers the services that run every command of a context as its row-level security session.</summary>
internal static class RuntimeServices
{
    /// <summary>Adds the runtime's services to EF Core's internal service provider.</summary>
    /// <param name="services">EF Core's internal services.</param>
    public static void Add(IServiceCollection services)
    {
    }
}
