using System;
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;

namespace RlsSchema.Security.Tests.Entities;

/// <summary>
/// The seed's todo (<c>tests/Shared/Todo.cs</c>) with one policy more, and so a different entity: the anonymous role's
/// policies are all false, so it holds the table privileges and the attacks run against policies rather than against
/// missing privileges (with the seed's policies alone it would hold none and be refused with 42501 before any row is
/// considered). The other projects pin the seed's own refusal of anonymous callers.
/// </summary>
[Table("todos")]
[CrudPolicy(Role = "authenticated", Owner = nameof(UserId))]
[CrudPolicy(Role = "anonymous", Read = Policies.False, Modify = Policies.False)]
public partial class GuardedTodo
{
    [Key] public long Id { get; set; }
    [DefaultSql("auth.user_id()")] public string UserId { get; set; } = "";
    [Check("char_length(task) > 0")] public string Task { get; set; } = "";
    public bool IsComplete { get; set; }
    [DefaultSql("now()")] public DateTimeOffset InsertedAt { get; set; }
}
