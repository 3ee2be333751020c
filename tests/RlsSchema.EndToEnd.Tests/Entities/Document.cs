using System;
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;

namespace RlsSchema.EndToEnd.Tests.Entities;

/// <summary>A uuid-keyed table whose policies bind its owner role too; each user sees only their own documents.</summary>
[Table("documents")]
[ForceRowLevelSecurity]
[CrudPolicy(Role = "authenticated", Owner = nameof(OwnerId))]
public partial class Document
{
    [Key] public Guid Id { get; set; }
    [DefaultSql("auth.user_id()")] public string OwnerId { get; set; } = "";
    public string Title { get; set; } = "";
    public int Revision { get; set; }
}
