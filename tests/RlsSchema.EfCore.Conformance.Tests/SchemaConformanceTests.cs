using System;
using System.Linq;
using Microsoft.EntityFrameworkCore;
using RlsSchema.EfCore.Conformance.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace RlsSchema.EfCore.Conformance.Tests;

/// <summary>
/// The entity set mapped by EF Core and by RlsSchema, both applied to real databases and compared column by column
/// index by index and foreign key by foreign key. A difference must be listed, with its reason, in README.md; a listed one must still occur.
/// </summary>
[Collection(ConformanceCollection.Name)]
public sealed class SchemaConformanceTests(ConformanceFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void Every_difference_from_EF_Core_is_listed_in_the_README_with_a_reason()
    {
        var differences = SchemaFacts.Compare(fixture.EfCore, fixture.RlsSchema);
        var accepted = AcceptedDifferences.Read().Select(a => a.Difference).ToHashSet();

        var unlisted = differences.Where(d => !accepted.Contains(d)).ToList();
        foreach (var difference in unlisted)
        {
            output.WriteLine(difference.AsTableRow());
        }

        Assert.True(unlisted.Count == 0, $"{unlisted.Count} difference(s) from EF Core are not in README.md:\n" + string.Join("\n", unlisted.Select(d => d.AsTableRow())));
    }

    [Fact]
    public void Every_difference_the_README_lists_still_occurs()
    {
        var differences = SchemaFacts.Compare(fixture.EfCore, fixture.RlsSchema).ToHashSet();

        var stale = AcceptedDifferences.Read().Where(a => !differences.Contains(a.Difference)).ToList();

        Assert.True(stale.Count == 0, "README.md lists differences that no longer occur; remove them:\n" + string.Join("\n", stale.Select(s => s.Difference.AsTableRow())));
    }

    [Fact]
    public void Every_column_EF_Core_maps_is_compared()
    {
        using var context = new ConformanceContext();
        int modelColumns = context.Model.GetEntityTypes().Sum(e => e.GetProperties().Count());

        var compared = fixture.EfCoreColumns;
        output.WriteLine($"{compared.Count} columns compared in {context.Model.GetEntityTypes().Count()} tables");

        Assert.Equal(modelColumns, compared.Count);
        Assert.True(compared.Count >= 60, $"only {compared.Count} columns compared; the entity set should cover at least 60");
    }

    [Fact]
    public void Every_foreign_key_EF_Core_maps_is_compared_with_each_action_a_DeleteBehavior_creates()
    {
        using var context = new ConformanceContext();
        var modelKeys = context.Model.GetEntityTypes().SelectMany(e => e.GetForeignKeys()).ToList();

        var compared = fixture.EfCoreForeignKeys;
        output.WriteLine($"{compared.Count} foreign keys compared");

        Assert.Equal(modelKeys.Count, compared.Count);
        Assert.Equal(Enum.GetValues<DeleteBehavior>().Order(), modelKeys.Select(k => k.DeleteBehavior).Distinct().Order());
        Assert.Contains(modelKeys, k => k.IsRequired);
        Assert.Contains(modelKeys, k => !k.IsRequired);
        var actions = fixture.EfCore.Where(f => f.Subject.StartsWith("foreign key ") && f.Aspect == "on delete").Select(f => f.Value).ToHashSet();
        Assert.Equal(["cascade", "no action", "restrict", "set null"], actions.Order());
    }

    [Fact]
    public void The_EF_Core_script_is_EF_Cores_own()
    {
        Assert.Contains("CREATE TABLE", fixture.EfCoreScript);
        Assert.Contains(fixture.EfCore, f => f.Subject.StartsWith("primary key "));
        Assert.Contains(fixture.RlsSchema, f => f.Subject.StartsWith("primary key "));
    }
}
