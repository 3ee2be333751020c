using System;
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using Microsoft.EntityFrameworkCore;
using RlsSchema;

namespace ConformanceShop;

/// <summary>A short key named by EF Core's [PrimaryKey], and a named index.</summary>
[Table("support_tickets")]
[PrimaryKey(nameof(TicketNumber))]
[Index(nameof(Severity), Name = "tickets_by_severity")]
[CrudPolicy(Role = "authenticated", Owner = nameof(OwnerId))]
public partial class SupportTicket
{
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
