using System.Collections.Generic;
using System.Net;
using System.Net.NetworkInformation;
using Microsoft.EntityFrameworkCore;
using RlsSchema;

namespace ConformanceShop;

/// <summary>
/// A key spelled <c>ID</c>, arrays and lists, network addresses, <c>char</c>, <c>ulong</c>, digits inside names, and
/// optional navigations with <c>NoAction</c> and <c>ClientCascade</c>.
/// </summary>
[CrudPolicy(Role = "authenticated", Owner = nameof(OwnerId))]
public partial class Device
{
    public int ID { get; set; }

    public string OwnerId { get; set; } = "";

    public string[] Tags { get; set; } = [];

    public List<string> Aliases { get; set; } = [];

    public int[]? Ports { get; set; }

    public List<double> Readings { get; set; } = [];

    public IPAddress Address { get; set; } = IPAddress.Loopback;

    public IPAddress? Gateway { get; set; }

    public PhysicalAddress MacAddress { get; set; } = PhysicalAddress.None;

    public char Grade { get; set; }

    public char? Revision { get; set; }

    public ulong PacketsSent { get; set; }

    public string Sha256Hash { get; set; } = "";

    public string? Utf8Label { get; set; }

    public long? ShipmentId { get; set; }

    [DeleteBehavior(DeleteBehavior.NoAction)]
    public Shipment? Shipment { get; set; }

    public int? CustomerId { get; set; }

    [DeleteBehavior(DeleteBehavior.ClientCascade)]
    public Customer? Customer { get; set; }
}
