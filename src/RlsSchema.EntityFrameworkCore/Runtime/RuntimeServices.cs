using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Update;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RlsSchema.EntityFrameworkCore.Runtime;

/// <summary>Registers the services that run every command of a context as its row-level security session.</summary>
internal static class RuntimeServices
{
    /// <summary>Adds the runtime's services to EF Core's internal service provider.</summary>
    /// <param name="services">EF Core's internal services.</param>
    public static void Add(IServiceCollection services)
    {
        // Per context instance; reset when a pooled context goes back to the pool.
        services.AddScoped<ContextSession>();
        services.AddScoped<IResettableService>(static provider => provider.GetRequiredService<ContextSession>());
        services.AddSingleton<IInterceptor, SessionCommandInterceptor>();

        // Whether the provider's services were added before or after these, this factory is the one used.
        services.Replace(ServiceDescriptor.Scoped<IModificationCommandBatchFactory, SessionModificationCommandBatchFactory>());
    }
}
