using System;
using System.ComponentModel.DataAnnotations.Schema;
using Microsoft.EntityFrameworkCore;
using RlsSchema;

namespace ConformanceShop;

/// <summary>
/// The key found as <c>&lt;Class&gt;Id</c>, an enum, a table named after the class, a two-column index that leads with
/// a foreign key, and a required navigation with EF Core's default delete behaviour.
/// </summary>
[CrudPolicy(Role = "authenticated", Owner = nameof(OwnerId))]
[Index(nameof(CustomerId), nameof(PlacedAt))]
public partial class PurchaseOrder
{
    public long PurchaseOrderId { get; set; }

    public string OwnerId { get; set; } = "";

    public int CustomerId { get; set; }

    public Customer Customer { get; set; } = null!;

    [Precision(3)]
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
