using Microsoft.EntityFrameworkCore;
using RlsSchema;

namespace ConformanceShop;

/// <summary>A key of two columns named by EF Core's [PrimaryKey], in an order that is not the declaration order.</summary>
[PrimaryKey(nameof(Bin), nameof(WarehouseCode))]
[CrudPolicy(Role = "authenticated", Owner = nameof(OwnerId))]
public partial class StockSlot
{
    public string WarehouseCode { get; set; } = "";

    public int Bin { get; set; }

    public string OwnerId { get; set; } = "";

    public int Capacity { get; set; }
}
