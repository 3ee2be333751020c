using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using RlsSchema.EntityFrameworkCore.Migrations;
using RlsSchema.EntityFrameworkCore.Runtime;

namespace RlsSchema.EntityFrameworkCore;

/// <summary>
/// The options extension <c>UseRlsSchema()</c> adds: it registers the runtime's services (every command run as the
/// context's session) and the migrations' services (the annotated entities' row-level security in EF migrations).
/// </summary>
internal sealed class RlsSchemaOptionsExtension : IDbContextOptionsExtension
{
    private DbContextOptionsExtensionInfo? _info;

    /// <inheritdoc />
    public DbContextOptionsExtensionInfo Info => _info ??= new ExtensionInfo(this);

    /// <inheritdoc />
    public void ApplyServices(IServiceCollection services)
    {
        RuntimeServices.Add(services);
        MigrationServices.Add(services);
    }

    /// <inheritdoc />
    public void Validate(IDbContextOptions options)
    {
    }

    private sealed class ExtensionInfo(IDbContextOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;

        public override string LogFragment => "using RlsSchema ";

        public override int GetServiceProviderHashCode() => 0;

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) => debugInfo["RlsSchema"] = "1";
    }
}
