using System;
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;

namespace RlsSchema.Security.Tests.Entities;

/// <summary>The same shape as <see cref="GuardedTodo"/>, with FORCE ROW LEVEL SECURITY: the table owner is bound by the policies too.</summary>
[Table("locked_todos")]
[ForceRowLevelSecurity]
[CrudPolicy(Role = "authenticated", Owner = nameof(UserId))]
public partial class LockedTodo
{
    [Key] public long Id { get; set; }
    [DefaultSql("auth.user_id()")] public string UserId { get; set; } = "";
    public string Task { get; set; } = "";
}
