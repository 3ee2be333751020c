using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Conventions.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RlsSchema.EntityFrameworkCore.Migrations;

/// <summary>Registers the services that carry the annotated entities' row-level security into EF migrations.</summary>
/// <remarks>
/// The route: a convention records the generated RlsSchema model on EF's model as one annotation (<see cref="RlsModelAnnotation"/>),
/// which the model snapshot and each migration keep like any other; the annotation provider lets it reach the
/// migrations differ, which turns a change of it into an <c>AlterDatabase</c> operation; the SQL generator renders that
/// operation with the schema library's differ and writer, policy drops ahead of EF's table changes and the rest after
/// them. <c>dotnet ef</c> needs no design-time service: it uses the context's own.
/// </remarks>
internal static class MigrationServices
{
    /// <summary>Adds the migrations' services to EF Core's internal service provider.</summary>
    /// <param name="services">EF Core's internal services.</param>
    public static void Add(IServiceCollection services)
    {
        services.AddSingleton<IConventionSetPlugin, RlsConventionSetPlugin>();
        services.Replace(ServiceDescriptor.Singleton<IRelationalAnnotationProvider, RlsAnnotationProvider>());
        services.Replace(ServiceDescriptor.Scoped<IMigrationsSqlGenerator, RlsMigrationsSqlGenerator>());
    }
}
