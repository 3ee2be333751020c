using System.ComponentModel.DataAnnotations.Schema;
using RlsSchema;

namespace B2b;

[Table("organizations")]
public partial class Organization
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";

    [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
    static bool MembersRead(Organization o) => Auth.IsMemberOf(o.Id);
}

[Table("memberships")]
[Membership(Tenant = nameof(OrganizationId), Member = nameof(UserId), Role = nameof(Role))]
public partial class Membership
{
    public long Id { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization Organization { get; set; } = null!;
    public string UserId { get; set; } = "";
    public string Role { get; set; } = "member";

    [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
    static bool CoMembersRead(Membership m) => Auth.IsMemberOf(m.OrganizationId);
}

[Table("projects")]
[CrudPolicy(Role = "authenticated", Tenant = nameof(OrganizationId))]
public partial class Project
{
    public Guid Id { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization Organization { get; set; } = null!;
    public string Name { get; set; } = "";
}

[Table("tasks")]
public partial class TaskItem
{
    public long Id { get; set; }
    public Guid ProjectId { get; set; }
    public Project Project { get; set; } = null!;
    public string Title { get; set; } = "";

    [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
    static bool MembersRead(TaskItem t) => Auth.IsMemberOf(t.Project.OrganizationId);

    [Policy(Command = PolicyCommand.Insert, Roles = "authenticated")]
    static bool MembersAdd(TaskItem t) => Auth.IsMemberOf(t.Project.OrganizationId);

    [Policy(Command = PolicyCommand.Update, Roles = "authenticated")]
    static bool MembersEdit(TaskItem t) => Auth.IsMemberOf(t.Project.OrganizationId);

    [Policy(Command = PolicyCommand.Delete, Roles = "authenticated")]
    static bool AdminsDelete(TaskItem t) => Auth.HasMemberRole(t.Project.OrganizationId, "admin");
}
