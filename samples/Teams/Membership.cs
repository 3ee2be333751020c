using System;
using System.ComponentModel.DataAnnotations.Schema;
using RlsSchema;

namespace Teams;

/// <summary>
/// Who belongs to which organization, with which organization role, keyed by the pair (EF Core's <c>[PrimaryKey]</c>).
/// Members see their co-members; admins remove others.
/// </summary>
[Table("memberships")]
[Microsoft.EntityFrameworkCore.PrimaryKey(nameof(OrganizationId), nameof(UserId))]
[Membership(Tenant = nameof(OrganizationId), Member = nameof(UserId), Role = nameof(Role))]
[Index(nameof(UserId), nameof(OrganizationId))]
public partial class Membership
{
    public Guid OrganizationId { get; set; }
    public Organization Organization { get; set; } = null!;
    public string UserId { get; set; } = "";
    public string Role { get; set; } = "member";

    [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
    static bool CoMembersRead(Membership m) => Auth.IsMemberOf(m.OrganizationId);

    [Policy(Command = PolicyCommand.Delete, Roles = "authenticated")]
    static bool AdminsRemoveOthers(Membership m) => Auth.HasMemberRole(m.OrganizationId, "admin") && m.UserId != Auth.UserId;
}
