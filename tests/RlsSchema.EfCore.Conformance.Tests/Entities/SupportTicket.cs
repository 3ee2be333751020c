using System;
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using RlsSchema;

namespace RlsSchema.EfCore.Conformance.Tests.Entities;

/// <summary>A property-level index, a unique one, and a short key.</summary>
[Table("support_tickets")]
[CrudPolicy(Role = "authenticated", Owner = nameof(OwnerId))]
public partial class SupportTicket
{
    [Key]
    public short TicketNumber { get; set; }

    public string OwnerId { get; set; } = "";

    [MaxLength(120)]
    public string Subject { get; set; } = "";

    public string Body { get; set; } = "";

    public bool? Escalated { get; set; }

    public int Severity { get; set; }

    public DateTimeOffset OpenedAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public double? SatisfactionScore { get; set; }

    public decimal? RefundAmount { get; set; }
}
