using System;
using System.IO;
using RlsSchema.Generator.Tests.Infrastructure;

namespace RlsSchema.EndToEnd.Tests.Infrastructure;

/// <summary>What the build of the Todos sample wrote (this project references it, so it is built first, in the same configuration).</summary>
public static class SampleOutput
{
    /// <summary>The Todos sample's assembly.</summary>
    public static string TodosAssembly => Path.Combine(TodosFolder, "Todos.dll");

    /// <summary>The Todos sample's full script, <c>rls/schema.sql</c> beside its assembly.</summary>
    public static string TodosScript => File.ReadAllText(Path.Combine(TodosFolder, "rls", "schema.sql"));

    // bin/<configuration>/<framework>, as this test assembly's own output folder is named.
    private static string TodosFolder
    {
        get
        {
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            return Path.Combine(RepositoryFiles.Root, "samples", "Todos", "bin", output.Parent!.Name, output.Name);
        }
    }
}
