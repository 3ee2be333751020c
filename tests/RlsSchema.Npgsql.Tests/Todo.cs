using System;

namespace RlsSchema.Npgsql.Tests;

/// <summary>A row of the seed's todos table, mapped by the aliases the SQL gives its columns.</summary>
public sealed class Todo
{
    public const string Columns = """id AS "Id", user_id AS "UserId", task AS "Task", is_complete AS "IsComplete", inserted_at AS "InsertedAt" """;

    public long Id { get; set; }

    public string UserId { get; set; } = "";

    public string Task { get; set; } = "";

    public bool IsComplete { get; set; }

    public DateTime InsertedAt { get; set; }
}
