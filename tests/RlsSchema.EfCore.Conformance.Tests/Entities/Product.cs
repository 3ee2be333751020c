using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using Microsoft.EntityFrameworkCore;
using RlsSchema;

namespace ConformanceShop;

/// <summary>
/// A Guid key, floating point, binary data, a reference to itself, and <c>[DeleteBehavior]</c> on a navigation and on
/// a collection.
/// </summary>
[CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = "false")]
public partial class Product
{
    [Key]
    public Guid ProductKey { get; set; }

    [MaxLength(40)]
    public string Sku { get; set; } = "";

    public string Name { get; set; } = "";

    public string? Description { get; set; }

    public decimal Price { get; set; }

    public double WeightKg { get; set; }

    public float? Rating { get; set; }

    public int Stock { get; set; }

    public bool Discontinued { get; set; }

    public byte[]? Thumbnail { get; set; }

    public byte[] Checksum { get; set; } = [];

    public Guid? ReplacedBy { get; set; }

    [ForeignKey(nameof(ReplacedBy))]
    [DeleteBehavior(DeleteBehavior.Restrict)]
    public Product? Replacement { get; set; }

    [DeleteBehavior(DeleteBehavior.Restrict)]
    public List<SupportTicket> Tickets { get; set; } = [];
}
