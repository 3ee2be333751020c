using System;
using System.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RlsSchema.Generated;
using Todos.Web;

// dotnet run --project samples/Todos.Web [-- --urls http://127.0.0.1:5080]
// With nothing configured: a throwaway PostgreSQL and a development token issuer (GET /dev/token/{name}).
// With DATABASE_URL, DATABASE_AUTHENTICATED_URL and WORKOS_CLIENT_ID (or RLS_JWKS_URL) set: those services.
if (Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") is null
    && Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") is null
    && !args.Any(a => a.StartsWith("--environment", StringComparison.Ordinal))
    && LocalServices.NothingConfigured(new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build()))
{
    // A sample on its own throwaway database and development issuer: the token endpoint should exist without setting
    // anything. With a real database or issuer configured it stays in the host's default environment (Production).
    Environment.SetEnvironmentVariable("ASPNETCORE_ENVIRONMENT", Environments.Development);
}

var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}

await LocalServices.AddUnlessConfiguredAsync(builder);

builder.Services.AddRlsSchema();
builder.Services.AddRlsRepositories();
builder.Services.AddRlsSchemaStartupMigration(RlsMigrations.All);
builder.Services.AddHealthChecks().AddRlsSchemaHealthCheck();

var app = builder.Build();

// Problem details without the exception, in every environment: the developer exception page would echo the request's
// headers, bearer token included, and the database's error.
app.UseExceptionHandler();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseRlsSchema();
app.MapHealthChecks("/healthz");
if (app.Environment.IsDevelopment())
{
    app.MapDevTokens();
}

app.MapTodos();
app.Run();

/// <summary>The application's entry point, public for the tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;
