using System;
using System.ComponentModel.DataAnnotations.Schema;

namespace RlsSchema.EndToEnd.Tests.Entities.Teams;

/// <summary>Members read their organization's announcements; holders of <c>announcements:write</c> among them write.</summary>
[Table("org_announcements")]
[CrudPolicy(Role = "authenticated", Tenant = nameof(OrganizationId), ModifyPermission = "announcements:write")]
public partial class OrgAnnouncement
{
    public long Id { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization Organization { get; set; } = null!;
    public string Title { get; set; } = "";
}
