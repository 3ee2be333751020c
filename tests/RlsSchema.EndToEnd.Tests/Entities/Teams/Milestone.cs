using System;
using System.ComponentModel.DataAnnotations.Schema;
using RlsSchema;

namespace Teams;

/// <summary>
/// Members of the project's organization do everything with its milestones: one typed policy for every command. A table
/// these tests add to the Teams sample's model (linked from samples/Teams), beside it in its namespace.
/// </summary>
[Table("milestones")]
public partial class Milestone
{
    public long Id { get; set; }
    public Guid ProjectId { get; set; }
    public Project Project { get; set; } = null!;
    public string Title { get; set; } = "";

    [Policy(Command = PolicyCommand.All, Roles = "authenticated")]
    static bool MembersManage(Milestone m) => Auth.IsMemberOf(m.Project.OrganizationId);
}
