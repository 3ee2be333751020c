using System.ComponentModel.DataAnnotations.Schema;

namespace RlsSchema.EndToEnd.Tests.Entities.Teams;

/// <summary>Members read and write comments on their organization's tasks, as themselves; authors delete their own.</summary>
[Table("comments")]
public partial class Comment
{
    public long Id { get; set; }
    public long TaskId { get; set; }
    public TaskItem Task { get; set; } = null!;
    [DefaultSql("auth.user_id()")] [Index] public string AuthorId { get; set; } = "";
    public string Body { get; set; } = "";

    [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
    static bool MembersRead(Comment c) => Auth.IsMemberOf(c.Task.Project.OrganizationId);

    [Policy(Command = PolicyCommand.Insert, Roles = "authenticated")]
    static bool MembersCommentAsThemselves(Comment c) => c.AuthorId == Auth.UserId && Auth.IsMemberOf(c.Task.Project.OrganizationId);

    [Policy(Command = PolicyCommand.Delete, Roles = "authenticated")]
    static bool AuthorsDelete(Comment c) => c.AuthorId == Auth.UserId;
}
