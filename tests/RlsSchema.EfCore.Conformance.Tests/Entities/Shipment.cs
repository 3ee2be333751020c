using System;
using System.ComponentModel.DataAnnotations.Schema;
using Microsoft.EntityFrameworkCore;
using RlsSchema;

namespace ConformanceShop;

/// <summary>
/// Times of day, durations, every integer width, names that snake_case must split well, and an optional navigation
/// whose key <c>[ForeignKey]</c> names, set null on delete.
/// </summary>
[CrudPolicy(Role = "authenticated", Owner = nameof(OwnerId))]
public partial class Shipment
{
    public long Id { get; set; }

    public string OwnerId { get; set; } = "";

    [Precision(0)]
    public TimeOnly PickupTime { get; set; }

    public TimeOnly? DeliveryWindowEnd { get; set; }

    [Precision(2)]
    public TimeSpan TransitTime { get; set; }

    public TimeSpan? Delay { get; set; }

    public byte Attempts { get; set; }

    public sbyte TemperatureOffset { get; set; }

    public ushort Parcels { get; set; }

    public uint TrackingSequence { get; set; }

    public int? DoorNumber { get; set; }

    public string HTTPCallbackUrl { get; set; } = "";

    public string? IOSDeviceToken { get; set; }

    public DateTime? DeliveredAt { get; set; }

    [DatabaseGenerated(DatabaseGeneratedOption.Identity)]
    public long Sequence { get; set; }

    public long? OrderNumber { get; set; }

    [ForeignKey(nameof(OrderNumber))]
    [DeleteBehavior(DeleteBehavior.SetNull)]
    public PurchaseOrder? Order { get; set; }
}
