using System.ComponentModel.DataAnnotations.Schema;
using RlsSchema;

namespace ConformanceShop;

/// <summary>
/// Two foreign keys to a composite key: a required one found by convention (<c>&lt;Navigation&gt;&lt;Key&gt;</c>) and an
/// optional one named by <c>[ForeignKey("A,B")]</c> on the navigation, in the key's order.
/// </summary>
[CrudPolicy(Role = "authenticated", Owner = nameof(OwnerId))]
public partial class StockMove
{
    public long Id { get; set; }

    public string OwnerId { get; set; } = "";

    public int ToBin { get; set; }

    public string ToWarehouseCode { get; set; } = "";

    public StockSlot To { get; set; } = null!;

    public int? SourceBin { get; set; }

    public string? SourceWarehouse { get; set; }

    [ForeignKey("SourceBin,SourceWarehouse")]
    public StockSlot? From { get; set; }

    public int Quantity { get; set; }
}
