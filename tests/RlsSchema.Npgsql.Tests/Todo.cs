using System;
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;

namespace RlsSchema.Npgsql.Tests;

/// <summary>The seed's todos table; its generated script is the schema these tests run against.</summary>
[Table("todos")]
[CrudPolicy(Role = "authenticated", Owner = nameof(UserId))]
public sealed partial class Todo
{
    /// <summary>The select list the hand-written queries here use, aliasing each column to its property.</summary>
    public const string Columns = """id AS "Id", user_id AS "UserId", task AS "Task", is_complete AS "IsComplete", inserted_at AS "InsertedAt" """;

    [Key] public long Id { get; set; }

    [DefaultSql("auth.user_id()")] public string UserId { get; set; } = "";

    [Check("char_length(task) > 0")] public string Task { get; set; } = "";

    public bool IsComplete { get; set; }

    [DefaultSql("now()")] public DateTime InsertedAt { get; set; }
}
