using System;
using System.ComponentModel.DataAnnotations.Schema;
using RlsSchema;

namespace Teams;

/// <summary>Who belongs to which organization, with which organization role. Members see their co-members; admins remove others.</summary>
[Table("memberships")]
[Membership(Tenant = nameof(OrganizationId), Member = nameof(UserId), Role = nameof(Role))]
[Index(nameof(UserId), nameof(OrganizationId), Unique = true)]
public partial class Membership
{
    public long Id { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization Organization { get; set; } = null!;
    public string UserId { get; set; } = "";
    public string Role { get; set; } = "member";

    [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
    static bool CoMembersRead(Membership m) => Auth.IsMemberOf(m.OrganizationId);

    [Policy(Command = PolicyCommand.Delete, Roles = "authenticated")]
    static bool AdminsRemoveOthers(Membership m) => Auth.HasMemberRole(m.OrganizationId, "admin") && m.UserId != Auth.UserId;
}
