using System;
using System.ComponentModel.DataAnnotations.Schema;

namespace RlsSchema.EndToEnd.Tests.Entities.Teams;

/// <summary>A WorkOS organization: its members read it; the backend creates it.</summary>
[Table("organizations")]
public partial class Organization
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";

    [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
    static bool MembersRead(Organization o) => Auth.IsMemberOf(o.Id);
}
