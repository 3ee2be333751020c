using System;
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using RlsSchema;

namespace Todos;

/// <summary>A todo item; each user sees and changes only their own. The same class as samples/Todos, mapped by EF Core.</summary>
[Table("todos")]
[CrudPolicy(Role = "authenticated", Owner = nameof(UserId))]
public partial class Todo
{
    [Key] public long Id { get; set; }
    [DefaultSql("auth.user_id()")] public string UserId { get; set; } = "";
    [Check("char_length(task) > 0")] public string Task { get; set; } = "";
    public bool IsComplete { get; set; }
    [DefaultSql("now()")] public DateTimeOffset InsertedAt { get; set; }
    public DateOnly? DueOn { get; set; }
}
