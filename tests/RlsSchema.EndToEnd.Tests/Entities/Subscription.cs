using System.ComponentModel.DataAnnotations.Schema;
using Microsoft.EntityFrameworkCore;

namespace RlsSchema.EndToEnd.Tests.Entities;

/// <summary>A user's subscription to a topic: a join row keyed by the topic and the user, which only that user sees and changes.</summary>
[Table("subscriptions")]
[PrimaryKey(nameof(Topic), nameof(UserId))]
[CrudPolicy(Role = "authenticated", Owner = nameof(UserId))]
public partial class Subscription
{
    public string Topic { get; set; } = "";
    [DefaultSql("auth.user_id()")] public string UserId { get; set; } = "";
    public string Frequency { get; set; } = "daily";
}
