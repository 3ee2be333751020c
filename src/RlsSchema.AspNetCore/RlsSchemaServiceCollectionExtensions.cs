using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RlsSchema;
using RlsSchema.AspNetCore;
using RlsSchema.AspNetCore.Authentication;
using RlsSchema.Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers RlsSchema's services in an ASP.NET Core application.</summary>
public static class RlsSchemaServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="RlsDataSource"/> (a singleton), bearer authentication through ASP.NET Core's JwtBearer
    /// handler validating with the runtime's own validator, and the request's session as a scoped
    /// <see cref="RlsRequestSession"/> and <see cref="IRlsSession"/>. The options come from the configuration section
    /// <c>RlsSchema</c> and the environment variables <c>DATABASE_URL</c>, <c>DATABASE_AUTHENTICATED_URL</c>,
    /// <c>RLS_JWKS_URL</c> or <c>WORKOS_CLIENT_ID</c>, <c>RLS_JWT_ISSUER</c> and <c>RLS_JWT_AUDIENCE</c>, then from
    /// <paramref name="configure"/>. Add <c>app.UseRlsSchema()</c> to the pipeline, and the generated
    /// <c>AddRlsRepositories()</c> for the repositories. An EF Core context configured with <c>UseRlsSchema()</c> (from the
    /// RlsSchema.EntityFrameworkCore package) runs each request as the request's session.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Changes the options after they were read from configuration; may be null.</param>
    /// <returns>The same services.</returns>
    [SuppressMessage("ApiDesign", "RS0027:API with optional parameter(s) should have the most parameters amongst its public overloads", Justification = "The callback's parameter type tells the overloads apart")]
    public static IServiceCollection AddRlsSchema(this IServiceCollection services, Action<RlsSchemaOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<RlsSchemaOptions>()
            .Configure<IConfiguration>(static (options, configuration) => options.ReadFrom(configuration));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        // Refuse to start without what every request needs, or with a setting the runtime cannot use (a malformed
        // connection, a JWKS URL that is not http(s)), rather than report "listening" and fail every request.
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RlsSchemaOptions>, RlsSchemaOptionsValidator>());

        services.TryAddSingleton(static provider => RuntimeBridge.CreateDataSource(provider.GetRequiredService<IOptions<RlsSchemaOptions>>().Value, provider.GetService<ILoggerFactory>()));
        services.TryAddSingleton(static provider => RuntimeBridge.Roles(provider.GetRequiredService<IOptions<RlsSchemaOptions>>().Value));
        services.AddHttpContextAccessor();
        services.AddProblemDetails();
        services.TryAddScoped<RlsRequestSession>();
        services.TryAddScoped<IRlsSession>(static provider => provider.GetRequiredService<RlsRequestSession>());
        services.TryAddSingleton<IAmbientSession, RequestAmbientSession>();
        services.AddHostedService<NpgsqlActivityTagger>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddAuthorization();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<RlsDataSource>(static (bearer, dataSource) =>
            {
                // The token's own claim names (sub, permissions, org_id), not WS-Federation URIs.
                bearer.MapInboundClaims = false;
                bearer.TokenValidationParameters.NameClaimType = "sub";
                bearer.TokenValidationParameters.RoleClaimType = "role";
                bearer.TokenHandlers.Clear();
                bearer.TokenHandlers.Add(new RlsTokenHandler(RuntimeBridge.Validator(dataSource)));
            });
        return services;
    }

    /// <summary>
    /// Registers RlsSchema as <see cref="AddRlsSchema(IServiceCollection, Action{RlsSchemaOptions})"/> does, from the
    /// configuration section <c>RlsSchema</c> and the environment variables, then lets <paramref name="configureDataSource"/>
    /// configure the runtime's <see cref="RlsDataSourceBuilder"/> before the data source is built: role names
    /// (<see cref="RlsDataSourceBuilder.AuthenticatedRole"/>, <see cref="RlsDataSourceBuilder.AnonymousRole"/>, which the
    /// request features, trace tags and start-up migrations then use too), a read-only connection, Npgsql settings, or the
    /// token validation itself.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configureDataSource">Configures the builder; it may be called more than once, so it should only set things.</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection AddRlsSchema(this IServiceCollection services, Action<RlsDataSourceBuilder> configureDataSource)
    {
        ArgumentNullException.ThrowIfNull(configureDataSource);
        return services.AddRlsSchema(options => options.DataSourceConfigurations.Add(configureDataSource));
    }

    /// <summary>
    /// Applies <paramref name="script"/> as the owner (<c>DATABASE_URL</c> or <c>RlsSchema:OwnerConnectionString</c>)
    /// when the application starts, before it takes requests, under the runtime's advisory lock so that instances starting
    /// together apply it one after the other. An opt-in: without it the application never uses the owner's connection.
    /// </summary>
    /// <param name="services">The application's services, with <see cref="AddRlsSchema(IServiceCollection, Action{RlsSchemaOptions})"/>.</param>
    /// <param name="script">The idempotent script, for example the generated <c>RlsSchemaScript.Sql</c>.</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection AddRlsSchemaStartupMigration(this IServiceCollection services, string script)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(script);
        return AddStartupMigration(services, new StartupMigrationScript(script, null));
    }

    /// <summary>
    /// Applies the pending migrations of <paramref name="migrations"/> as the owner (<c>DATABASE_URL</c> or
    /// <c>RlsSchema:OwnerConnectionString</c>) when the application starts, before it takes requests: each in its own
    /// transaction under the runtime's advisory lock, recorded in <c>rls_schema.migrations</c>. A start-up fails, applying
    /// nothing, when an applied migration's file changed or the database holds one the application does not know. The
    /// health check (<see cref="AddRlsSchemaHealthCheck(IHealthChecksBuilder, string, HealthStatus)"/>) then expects these
    /// migrations applied. An opt-in: without it the application never uses the owner's connection.
    /// </summary>
    /// <param name="services">The application's services, with <see cref="AddRlsSchema(IServiceCollection, Action{RlsSchemaOptions})"/>.</param>
    /// <param name="migrations">The project's migrations: <c>RlsSchema.Generated.RlsMigrations.All</c>.</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection AddRlsSchemaStartupMigration(this IServiceCollection services, IEnumerable<RlsMigration> migrations)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(migrations);
        var list = migrations.ToList();
        services.TryAddSingleton(new KnownMigrations(list));
        return AddStartupMigration(services, new StartupMigrationScript(null, list));
    }

    /// <summary>
    /// Adds a health check that is healthy when the database answers on the sessions' connection and the schema is
    /// applied, read as an anonymous session without the owner's credentials. With migrations (given to
    /// <see cref="AddRlsSchemaStartupMigration(IServiceCollection, IEnumerable{RlsMigration})"/> or to the overload
    /// that takes them) "applied" means every one of them is in the database's history, read through
    /// <c>rls_schema.applied_migration_ids()</c>, which reveals the ids and nothing else.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name; <c>rlsschema</c> by default.</param>
    /// <param name="failureStatus">What a failure reports; unhealthy by default.</param>
    /// <returns>The same builder.</returns>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The migrations parameter tells the overloads apart")]
    public static IHealthChecksBuilder AddRlsSchemaHealthCheck(this IHealthChecksBuilder builder, string name = "rlsschema", HealthStatus failureStatus = HealthStatus.Unhealthy)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<SchemaStatus>();
        builder.Services.TryAddSingleton<RlsSchemaHealthCheck>();
        return builder.AddCheck<RlsSchemaHealthCheck>(name, failureStatus);
    }

    /// <summary>
    /// Adds a health check that is healthy when the database answers on the sessions' connection and every one of
    /// <paramref name="migrations"/> is applied, read through <c>rls_schema.applied_migration_ids()</c> as an anonymous
    /// session, without the owner's credentials: for an application whose migrations run in a deployment step.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="migrations">The project's migrations: <c>RlsSchema.Generated.RlsMigrations.All</c>.</param>
    /// <param name="name">The check's name; <c>rlsschema</c> by default.</param>
    /// <param name="failureStatus">What a failure reports; unhealthy by default.</param>
    /// <returns>The same builder.</returns>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The migrations parameter tells the overloads apart")]
    public static IHealthChecksBuilder AddRlsSchemaHealthCheck(
        this IHealthChecksBuilder builder,
        IEnumerable<RlsMigration> migrations,
        string name = "rlsschema",
        HealthStatus failureStatus = HealthStatus.Unhealthy)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(migrations);
        builder.Services.RemoveAll<KnownMigrations>();
        builder.Services.AddSingleton(new KnownMigrations(migrations.ToList()));
        return builder.AddRlsSchemaHealthCheck(name, failureStatus);
    }

    private static IServiceCollection AddStartupMigration(IServiceCollection services, StartupMigrationScript what)
    {
        services.AddSingleton(what);
        // Before the other hosted services, so that nothing reads the database before the schema is there.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, StartupMigration>());
        return services;
    }
}
