using System;
using System.Collections.Generic;
using ConformanceShop;

namespace RlsSchema.EfCore.Conformance.Tests.Infrastructure;

/// <summary>The entity set both mappers read.</summary>
public static class ConformanceEntities
{
    public static readonly IReadOnlyList<Type> All =
    [
        typeof(Customer),
        typeof(PurchaseOrder),
        typeof(Product),
        typeof(Shipment),
        typeof(SupportTicket),
        typeof(Device),
        typeof(AuditEvent),
        typeof(StockSlot),
        typeof(StockMove),
    ];
}
