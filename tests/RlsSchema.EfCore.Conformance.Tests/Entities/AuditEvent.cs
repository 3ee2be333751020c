using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using System.Numerics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RlsSchema;

namespace ConformanceShop;

/// <summary>
/// A Guid key the database generates, JSON documents, <c>[StringLength]</c>, <c>BigInteger</c>, and optional
/// navigations with <c>ClientNoAction</c>, <c>Cascade</c> and <c>ClientSetNull</c>, one keyed by <c>[ForeignKey]</c> on
/// the key.
/// </summary>
[CrudPolicy(Role = "authenticated", Owner = nameof(OwnerId))]
public partial class AuditEvent
{
    [Key, DatabaseGenerated(DatabaseGeneratedOption.Identity)]
    public Guid Id { get; set; }

    public string OwnerId { get; set; } = "";

    [StringLength(100)]
    public string Source { get; set; } = "";

    [StringLength(12, MinimumLength = 2)]
    public string? Action { get; set; }

    public JsonDocument Payload { get; set; } = JsonDocument.Parse("{}");

    public JsonElement Context { get; set; }

    public JsonElement? Extra { get; set; }

    public BigInteger Sequence { get; set; }

    public List<OrderStatus>? Statuses { get; set; }

    public bool[] Flags { get; set; } = [];

    public DateTimeOffset OccurredAt { get; set; }

    [ForeignKey(nameof(Ticket))]
    public short? TicketNumber { get; set; }

    [DeleteBehavior(DeleteBehavior.ClientNoAction)]
    public SupportTicket? Ticket { get; set; }

    public long? PurchaseOrderId { get; set; }

    [DeleteBehavior(DeleteBehavior.Cascade)]
    public PurchaseOrder? PurchaseOrder { get; set; }

    public Guid? ProductKey { get; set; }

    [ForeignKey(nameof(ProductKey))]
    [DeleteBehavior(DeleteBehavior.ClientSetNull)]
    public Product? Product { get; set; }
}
