using System;
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using RlsSchema;

namespace RlsSchema.EfCore.Conformance.Tests.Entities;

/// <summary>An int key by convention, an explicit table name, strings with and without a length.</summary>
[Table("customers")]
[CrudPolicy(Role = "authenticated", Owner = nameof(OwnerId))]
public partial class Customer
{
    public int Id { get; set; }

    public string OwnerId { get; set; } = "";

    [MaxLength(200)]
    public string DisplayName { get; set; } = "";

    public string? Email { get; set; }

    [Required]
    public string? CountryCode { get; set; }

    public bool IsActive { get; set; }

    public decimal Balance { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateOnly? BirthDate { get; set; }

    public long? LoyaltyPoints { get; set; }

    [Column("vip_level")]
    public short Tier { get; set; }

    [NotMapped]
    public string Greeting => "Hello " + DisplayName;
}
