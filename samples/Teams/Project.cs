using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations.Schema;
using RlsSchema;

namespace Teams;

/// <summary>Members read, create and rename their organization's projects (not archived ones); only admins delete.</summary>
[Table("projects")]
public partial class Project
{
    public Guid Id { get; set; }
    public Guid OrganizationId { get; set; }
    [OnDelete(ReferentialAction.Restrict)] public Organization Organization { get; set; } = null!;
    public string Name { get; set; } = "";
    public bool Archived { get; set; }
    public List<TaskItem> Tasks { get; set; } = new();

    [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
    static bool MembersRead(Project p) => Auth.IsMemberOf(p.OrganizationId);

    [Policy(Command = PolicyCommand.Insert, Roles = "authenticated")]
    static bool MembersCreate(Project p) => Auth.IsMemberOf(p.OrganizationId);

    [Policy(Command = PolicyCommand.Update, Roles = "authenticated")]
    static bool MembersRenameActive(Project p) => Auth.IsMemberOf(p.OrganizationId) && !p.Archived;

    [Policy(Command = PolicyCommand.Delete, Roles = "authenticated")]
    static bool AdminsDelete(Project p) => Auth.HasMemberRole(p.OrganizationId, "admin");
}
