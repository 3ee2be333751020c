using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;

namespace RlsSchema.EndToEnd.Tests.Entities;

/// <summary>Every signed-in user reads every note; only its author changes it.</summary>
[Table("notes")]
[CrudPolicy(Role = "authenticated", Read = Policies.True, Owner = nameof(AuthorId))]
public partial class Note
{
    [Key] public long Id { get; set; }
    [DefaultSql("auth.user_id()")] public string AuthorId { get; set; } = "";
    public string Body { get; set; } = "";
}
