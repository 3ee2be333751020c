using System.Collections.Generic;
using System.Linq;
using RlsSchema.Generator.Tests.Infrastructure;

namespace RlsSchema.Generator.Tests;

/// <summary>
/// The B2B model: organizations, memberships, projects, tasks, comments and announcements, with typed policies only.
/// Read from the Teams sample's own files, so that the tests pin the model the sample runs.
/// </summary>
public static class TeamsEntities
{
    /// <summary>The sample's entity files, each one a source of its own.</summary>
    public static IReadOnlyList<string> Sources { get; } =
        new[] { "Organization", "Membership", "Project", "TaskItem", "Comment", "Announcement" }
            .Select(name => RepositoryFiles.Read("samples/Teams/" + name + ".cs"))
            .ToList();
}
