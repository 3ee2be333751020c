using System;
using System.ComponentModel.DataAnnotations.Schema;
using RlsSchema;

namespace RlsSchema.EfCore.Conformance.Tests.Entities;

/// <summary>The key found as <c>&lt;Class&gt;Id</c>, an enum, and a table named after the class.</summary>
[CrudPolicy(Role = "authenticated", Owner = nameof(OwnerId))]
public partial class PurchaseOrder
{
    public long PurchaseOrderId { get; set; }

    public string OwnerId { get; set; } = "";

    public int CustomerId { get; set; }

    public DateTime PlacedAt { get; set; }

    public decimal Total { get; set; }

    public OrderStatus Status { get; set; }

    public OrderStatus? PreviousStatus { get; set; }

    public string? Notes { get; set; }

    public DateOnly? ShippedOn { get; set; }

    public short Priority { get; set; }

    public long? ExternalReference { get; set; }

    [Column(TypeName = "varchar(20)")]
    public string Channel { get; set; } = "";
}

/// <summary>Where an order is.</summary>
public enum OrderStatus
{
    Placed,
    Paid,
    Shipped,
}
