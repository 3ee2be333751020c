using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RlsSchema.AspNetCore;

/// <summary>Applies the schema as the owner before the server takes requests, under the runtime's advisory lock.</summary>
internal sealed partial class StartupMigration(IOptions<RlsSchemaOptions> options, SessionRoles roles, StartupMigrationScript script, ILogger<StartupMigration> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var owner = options.Value.OwnerConnectionString ?? throw new InvalidOperationException(
            "The RlsSchema migration at start-up needs the owner's connection: set RlsSchema:OwnerConnectionString or DATABASE_URL, or remove AddRlsSchemaStartupMigration and migrate in a deployment step.");
        LogMigrating(logger);
        if (script.Migrations is { } migrations)
        {
            var applied = await RuntimeBridge.MigrateAsync(owner, roles, migrations, cancellationToken).ConfigureAwait(false);
            LogApplied(logger, applied.Count, applied.Count == 0 ? "none pending" : string.Join(", ", applied.Select(m => m.ToString())));
        }
        else
        {
            await RuntimeBridge.MigrateAsync(owner, roles, script.Sql!, cancellationToken).ConfigureAwait(false);
        }

        LogMigrated(logger);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(10, LogLevel.Information, "Applying the RlsSchema migration as the owner")]
    private static partial void LogMigrating(ILogger logger);

    [LoggerMessage(11, LogLevel.Information, "The RlsSchema migration is applied")]
    private static partial void LogMigrated(ILogger logger);

    [LoggerMessage(12, LogLevel.Information, "RlsSchema migrations applied: {Count} ({Migrations})")]
    private static partial void LogApplied(ILogger logger, int count, string migrations);
}

/// <summary>What <see cref="StartupMigration"/> applies: the project's versioned migrations, or a create-only script.</summary>
internal sealed record StartupMigrationScript(string? Sql, IReadOnlyList<RlsMigration>? Migrations);

/// <summary>The application's migrations, which the health check expects applied.</summary>
internal sealed record KnownMigrations(IReadOnlyList<RlsMigration> All);
