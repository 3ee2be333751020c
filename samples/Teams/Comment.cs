using System;
using System.ComponentModel.DataAnnotations.Schema;
using RlsSchema;

namespace Teams;

/// <summary>
/// Members read and write comments on their organization's tasks, as themselves; authors edit their own for 15 minutes
/// after posting (the server sets the time, end users never write it) and delete their own.
/// </summary>
[Table("comments")]
public partial class Comment
{
    public long Id { get; set; }
    public long TaskId { get; set; }
    public TaskItem Task { get; set; } = null!;
    [DefaultSql("auth.user_id()")] [Index] public string AuthorId { get; set; } = "";
    public string Body { get; set; } = "";
    [ServerGenerated, DefaultSql("now()")] public DateTimeOffset CreatedAt { get; set; }

    [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
    static bool MembersRead(Comment c) => Auth.IsMemberOf(c.Task.Project.OrganizationId);

    [Policy(Command = PolicyCommand.Insert, Roles = "authenticated")]
    static bool MembersCommentAsThemselves(Comment c) => c.AuthorId == Auth.UserId && Auth.IsMemberOf(c.Task.Project.OrganizationId);

    [Policy(Command = PolicyCommand.Update, Roles = "authenticated")]
    static bool AuthorsEditForFifteenMinutes(Comment c) => c.AuthorId == Auth.UserId && c.CreatedAt > DateTimeOffset.UtcNow.AddMinutes(-15);

    [Policy(Command = PolicyCommand.Delete, Roles = "authenticated")]
    static bool AuthorsDelete(Comment c) => c.AuthorId == Auth.UserId;
}
