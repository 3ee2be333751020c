using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using System.Numerics;
using System.Text.Json;
using RlsSchema;

namespace ConformanceShop;

/// <summary>A Guid key the database generates, JSON documents, <c>[StringLength]</c>, and <c>BigInteger</c>.</summary>
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
}
