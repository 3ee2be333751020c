using System;
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;

namespace RlsSchema.Security.Tests.Entities;

/// <summary>
/// The seed's todo: each user reads and changes only their own rows. The anonymous role's policies are all false, so it
/// holds the table privileges the seed's blanket grants gave it and the attacks run against policies rather than against
/// missing privileges (without a policy it would hold none and be refused with 42501 before any row is considered).
/// </summary>
[Table("todos")]
[CrudPolicy(Role = "authenticated", Owner = nameof(UserId))]
[CrudPolicy(Role = "anonymous", Read = Policies.False, Modify = Policies.False)]
public partial class Todo
{
    [Key] public long Id { get; set; }
    [DefaultSql("auth.user_id()")] public string UserId { get; set; } = "";
    [Check("char_length(task) > 0")] public string Task { get; set; } = "";
    public bool IsComplete { get; set; }
    [DefaultSql("now()")] public DateTimeOffset InsertedAt { get; set; }
}
