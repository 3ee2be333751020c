using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;
using Npgsql.EntityFrameworkCore.PostgreSQL.Design.Internal;
using RlsSchema.Tests.Generation;
using Xunit;

namespace RlsSchema.EntityFrameworkCore.Tests.Migrations;

#pragma warning disable EF1001 // Npgsql's design-time services, as dotnet ef finds them.

/// <summary>
/// An EF Core app in memory, as a user's project is on disk: annotated entities, a context (<c>App.AppDbContext</c>) and
/// the migrations scaffolded so far, compiled with the RlsSchema generator; then scaffolding the next migration the way
/// <c>dotnet ef migrations add</c> does, through the context's design-time services.
/// </summary>
internal sealed class EfProject
{
    /// <summary>The context: the entities' sets come from <paramref name="sets"/>.</summary>
    public const string ContextTemplate = """
        using Microsoft.EntityFrameworkCore;
        namespace App;
        public sealed class AppDbContext(DbContextOptions options) : DbContext(options)
        {
            public DbSet<Note> Notes => Set<Note>();
            protected override void OnModelCreating(ModelBuilder modelBuilder)
            {
                /*model*/
            }
        }
        """;

    private static int _builds;
    private readonly List<string> _migrationFiles = new();

    /// <summary>The entity sources.</summary>
    public string[] Entities { get; set; } = Array.Empty<string>();

    /// <summary>Fluent configuration put into <c>OnModelCreating</c>.</summary>
    public string ModelConfiguration { get; set; } = "";

    /// <summary>Whether the context uses <c>UseSnakeCaseNamingConvention()</c>.</summary>
    public bool SnakeCase { get; set; } = true;

    /// <summary>The C# of every migration scaffolded so far (the latest snapshot last).</summary>
    public IReadOnlyList<string> MigrationFiles => _migrationFiles;

    /// <summary>Compiles the entities, the context and the migrations so far, and loads the assembly.</summary>
    /// <returns>The assembly.</returns>
    public Assembly Build()
    {
        var trees = Entities.Append(ContextTemplate.Replace("/*model*/", ModelConfiguration)).Concat(_migrationFiles)
            .Select((s, i) => CSharpSyntaxTree.ParseText(s, GeneratorHarness.ParseOptions, path: "File" + i + ".cs"));
        string name = "EfApp" + Interlocked.Increment(ref _builds);
        GenerationResult result = GeneratorHarness.Run(GeneratorHarness.Compile(trees, GeneratorHarness.ProcessReferences, name));
        Assert.Empty(result.GeneratorErrors);
        using var image = new MemoryStream();
        var emitted = result.Output.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return Assembly.Load(image.ToArray());
    }

    /// <summary>A context of <paramref name="assembly"/> on <paramref name="connectionString"/>, with <c>UseRlsSchema()</c>.</summary>
    /// <param name="assembly">A built assembly.</param>
    /// <param name="connectionString">The owner's connection string.</param>
    /// <returns>The context.</returns>
    public DbContext Context(Assembly assembly, string connectionString)
    {
        var options = new DbContextOptionsBuilder().UseNpgsql(connectionString);
        if (SnakeCase)
        {
            options.UseSnakeCaseNamingConvention();
        }

        options.UseRlsSchema();
        return (DbContext)Activator.CreateInstance(assembly.GetType("App.AppDbContext", throwOnError: true)!, options.Options)!;
    }

    /// <summary>Scaffolds the next migration as <c>dotnet ef migrations add</c> does, and keeps its files for the next build.</summary>
    /// <param name="context">A context of the latest build.</param>
    /// <param name="name">The migration's name; names sort in the order they are added.</param>
    /// <returns>The scaffolded migration.</returns>
    public ScaffoldedMigration Add(DbContext context, string name)
    {
        var services = new ServiceCollection();
        services.AddEntityFrameworkDesignTimeServices();
        services.AddDbContextDesignTimeServices(context);
        new NpgsqlDesignTimeServices().ConfigureDesignTimeServices(services);
        using ServiceProvider provider = services.BuildServiceProvider();
        ScaffoldedMigration migration = provider.GetRequiredService<IMigrationsScaffolder>().ScaffoldMigration(name, "App");
        if (_migrationFiles.Count > 0)
        {
            _migrationFiles.RemoveAt(_migrationFiles.Count - 1);
        }

        _migrationFiles.Add(migration.MigrationCode);
        _migrationFiles.Add(migration.MetadataCode);
        _migrationFiles.Add(migration.SnapshotCode);
        return migration;
    }
}
