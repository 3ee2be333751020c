using System.ComponentModel.DataAnnotations.Schema;

namespace RlsSchema.Benchmarks.Model;

/// <summary>An organization (scenario 6); its members read it.</summary>
[Table("organizations")]
public partial class Organization
{
    public long Id { get; set; }
    public string Name { get; set; } = "";

    [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
    static bool MembersRead(Organization o) => Auth.IsMemberOf(o.Id);
}

/// <summary>Who belongs to which organization (scenario 6): the membership the typed policies check.</summary>
[Table("memberships")]
[Membership(Tenant = nameof(OrganizationId), Member = nameof(UserId), Role = nameof(Role))]
[Index(nameof(UserId), nameof(OrganizationId), Unique = true)]
public partial class Membership
{
    public long Id { get; set; }
    public long OrganizationId { get; set; }
    public Organization Organization { get; set; } = null!;
    public string UserId { get; set; } = "";
    public string Role { get; set; } = "member";

    [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
    static bool CoMembersRead(Membership m) => Auth.IsMemberOf(m.OrganizationId);
}

/// <summary>A project of an organization (scenario 6).</summary>
[Table("projects")]
public partial class Project
{
    public long Id { get; set; }
    public long OrganizationId { get; set; }
    public Organization Organization { get; set; } = null!;
    public string Name { get; set; } = "";

    [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
    static bool MembersRead(Project p) => Auth.IsMemberOf(p.OrganizationId);
}

/// <summary>A task, read by the members of its project's organization (scenario 6 measures this policy).</summary>
[Table("tasks")]
public partial class TaskItem
{
    public long Id { get; set; }
    public long ProjectId { get; set; }
    public Project Project { get; set; } = null!;
    public string Title { get; set; } = "";

    [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
    static bool MembersRead(TaskItem t) => Auth.IsMemberOf(t.Project.OrganizationId);
}
