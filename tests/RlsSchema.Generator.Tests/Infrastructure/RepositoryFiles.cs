using System;
using System.IO;

namespace RlsSchema.Generator.Tests.Infrastructure;

/// <summary>Files of the repository the tests read as text: the README, the docs, the samples' entities.</summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> RootDirectory = new(FindRoot);

    /// <summary>The folder holding <c>RlsSchema.sln</c>, found above the test assembly.</summary>
    public static string Root => RootDirectory.Value;

    /// <summary>The text of the file at <paramref name="relativePath"/> (forward slashes) under the repository root.</summary>
    public static string Read(string relativePath) =>
        File.ReadAllText(Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar)));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RlsSchema.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (RlsSchema.sln) was not found above " + AppContext.BaseDirectory);
    }
}
