using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RlsSchema.Generator.Emitting;
using RlsSchema.Generator.Tests.Infrastructure;
using RlsSchema.Tests.Generation;
using Xunit;

namespace RlsSchema.Generator.Tests;

public class ServiceCollectionTests
{
    [Fact]
    public void With_dependency_injection_AddRlsRepositories_registers_every_repository_as_scoped_and_compiles()
    {
        GenerationResult result = GeneratorHarness.Run(new[] { Entities.SeedTodo, Entities.Blog });
        Assert.Empty(result.OutputErrors);
        string source = result.Source(ServiceCollectionEmitter.HintName)!;
        Assert.Contains("namespace Microsoft.Extensions.DependencyInjection", source);
        Assert.Contains("internal static class RlsRepositoryServiceCollectionExtensions", source);
        foreach (string repository in result.Generator.GeneratedSources.Select(s => s.HintName).Where(h => h.EndsWith("Repository.g.cs", StringComparison.Ordinal)))
        {
            string name = repository.Substring(0, repository.Length - ".g.cs".Length);
            Assert.Contains("AddScoped<global::" + name + ">(services);", source);
        }
    }

    [Fact]
    public void A_user_can_call_AddRlsRepositories_on_a_service_collection()
    {
        const string usage = @"
using Microsoft.Extensions.DependencyInjection;
public static class Startup
{
    public static IServiceCollection Configure(IServiceCollection services) => services.AddRlsRepositories();
}";
        GenerationResult result = GeneratorHarness.Run(new[] { Entities.SeedTodo, usage });
        Assert.Empty(result.OutputErrors);
    }

    [Fact]
    public void With_generator_errors_the_call_to_AddRlsRepositories_still_compiles()
    {
        const string usage = @"
using Microsoft.Extensions.DependencyInjection;
public static class Startup
{
    public static IServiceCollection Configure(IServiceCollection services) => services.AddRlsRepositories();
}";
        const string broken = """
            [RlsSchema.CrudPolicy(Role = "authenticated", Read = "true", Modify = RlsSchema.Policies.None)]
            public class Item
            {
                public string Name { get; set; } = "";
            }
            """;
        GenerationResult result = GeneratorHarness.Run(new[] { broken, usage });

        Assert.Contains(result.GeneratorDiagnostics, d => d.Id == "RLS0002");
        Assert.Empty(result.OutputErrors.Select(d => d.Id + " " + d.GetMessage()));
    }

    [Fact]
    public void Without_dependency_injection_no_extension_is_generated()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(new[] { Entities.SeedTodo });
        compilation = compilation.RemoveReferences(compilation.References.Where(r =>
            Path.GetFileName(r.Display ?? "").Equals("Microsoft.Extensions.DependencyInjection.Abstractions.dll", StringComparison.OrdinalIgnoreCase)));
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out _, out ImmutableArray<Diagnostic> _);
        string[] hints = driver.GetRunResult().Results.Single().GeneratedSources.Select(s => s.HintName).ToArray();
        Assert.Contains("Todos.TodoRepository.g.cs", hints);
        Assert.DoesNotContain(ServiceCollectionEmitter.HintName, hints);
    }
}
