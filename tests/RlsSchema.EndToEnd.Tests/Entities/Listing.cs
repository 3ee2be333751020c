using System;
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;

namespace RlsSchema.EndToEnd.Tests.Entities;

/// <summary>
/// A seller's listing: the seller and the kind are set on insert and never changed by an end user; the server stamps
/// when it was listed, and no end user writes that.
/// </summary>
[Table("listings")]
[CrudPolicy(Role = "authenticated", Owner = nameof(SellerId))]
public partial class Listing
{
    [Key] public long Id { get; set; }
    [Immutable, DefaultSql("auth.user_id()")] public string SellerId { get; set; } = "";
    [Immutable] public string Kind { get; set; } = "";
    public string Title { get; set; } = "";
    [ServerGenerated, DefaultSql("now()")] public DateTimeOffset ListedAt { get; set; }
}
