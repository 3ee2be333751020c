using System;
using System.ComponentModel.DataAnnotations;
using RlsSchema;

namespace ConformanceShop;

/// <summary>A Guid key, floating point, binary data, and a class-level index.</summary>
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
}
