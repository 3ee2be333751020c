using System;

namespace RlsSchema.Npgsql.Tests;

/// <summary>What a statement inside a session sees of its own identity.</summary>
public sealed class SessionState
{
    public const string Sql = """
        SELECT auth.user_id() AS "UserId", current_user::text AS "CurrentUser",
               auth.session() ->> 'sub' AS "ClaimsSubject", auth.uid() AS "Uid", pg_backend_pid() AS "BackendPid"
        """;

    public string? UserId { get; set; }

    public string CurrentUser { get; set; } = "";

    public string? ClaimsSubject { get; set; }

    public Guid? Uid { get; set; }

    public int BackendPid { get; set; }
}
