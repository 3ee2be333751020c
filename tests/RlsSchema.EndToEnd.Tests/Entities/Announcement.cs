using System;
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;

namespace RlsSchema.EndToEnd.Tests.Entities;

/// <summary>Public content: anyone reads, even without signing in; signed-in users post, and only the author changes a post.</summary>
[Table("public_announcements")]
[CrudPolicy(Role = "anonymous", Read = Policies.True, Modify = Policies.None)]
[CrudPolicy(Role = "authenticated", Read = Policies.True, Owner = nameof(AuthorId))]
public partial class Announcement
{
    [Key] public int Id { get; set; }
    [DefaultSql("auth.user_id()")] public string AuthorId { get; set; } = "";
    public string Text { get; set; } = "";
    public DateTimeOffset? PublishedAt { get; set; }
}
