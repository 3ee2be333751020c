using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using Microsoft.EntityFrameworkCore;
using RlsSchema;

namespace ConformanceShop;

/// <summary>
/// An int key by convention, an explicit table name, strings with and without a length; EF Core's [Index] (in a file
/// that imports both Microsoft.EntityFrameworkCore and RlsSchema), [Precision], [Comment] and [Unicode]; the principal
/// of a collection navigation.
/// </summary>
[Table("customers")]
[Comment("People who buy")]
[Index(nameof(OwnerId))]
[Index(nameof(Email), IsUnique = true)]
[CrudPolicy(Role = "authenticated", Owner = nameof(OwnerId))]
public partial class Customer
{
    public int Id { get; set; }

    public string OwnerId { get; set; } = "";

    [MaxLength(200)]
    [Comment("Shown on invoices; it's the customer's choice")]
    public string DisplayName { get; set; } = "";

    public string? Email { get; set; }

    [Required]
    [Unicode(false)]
    public string? CountryCode { get; set; }

    public bool IsActive { get; set; }

    [Precision(12, 2)]
    public decimal Balance { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateOnly? BirthDate { get; set; }

    public long? LoyaltyPoints { get; set; }

    [Column("vip_level")]
    public short Tier { get; set; }

    [NotMapped]
    public string Greeting => "Hello " + DisplayName;

    public List<PurchaseOrder> Orders { get; set; } = [];
}
