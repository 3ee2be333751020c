using System;
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using Microsoft.EntityFrameworkCore;
using RlsSchema;

namespace ConformanceShop;

/// <summary>
/// A short key named by EF Core's [PrimaryKey], a named index, an optional navigation with EF Core's default delete
/// behaviour, and a required one whose delete behaviour the principal's collection sets.
/// </summary>
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

    public int? CustomerId { get; set; }

    public Customer? Customer { get; set; }

    public Guid ProductId { get; set; }

    public Product Product { get; set; } = null!;
}
