using System;
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;

namespace RlsSchema.Tests.Seed;

/// <summary>
/// The seed's todos table: each user reads and changes only their own rows. Every project that runs against the seed
/// compiles this one file in (a linked source, so the generator emits its table and <c>TodoRepository</c> there).
/// </summary>
[Table("todos")]
[CrudPolicy(Role = "authenticated", Owner = nameof(UserId))]
public partial class Todo
{
    /// <summary>The select list hand-written queries use, aliasing each column to its property.</summary>
    public const string Columns = """id AS "Id", user_id AS "UserId", task AS "Task", is_complete AS "IsComplete", inserted_at AS "InsertedAt" """;

    [Key] public long Id { get; set; }

    [DefaultSql("auth.user_id()")] public string UserId { get; set; } = "";

    [Check("char_length(task) > 0")] public string Task { get; set; } = "";

    public bool IsComplete { get; set; }

    [DefaultSql("now()")] public DateTimeOffset InsertedAt { get; set; }
}
