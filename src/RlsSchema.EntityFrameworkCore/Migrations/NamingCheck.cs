using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using RlsSchema.Schema;

namespace RlsSchema.EntityFrameworkCore.Migrations;

/// <summary>
/// Fails model building when EF's model and RlsSchema's name a table or column differently: the policies and grants
/// RlsSchema writes would name what EF did not create. EF's default names are the C# names (<c>IsComplete</c>), and a
/// fluent <c>ToTable</c> or <c>HasColumnName</c> is invisible to the generator.
/// </summary>
internal static class NamingCheck
{
    /// <summary>Throws when a name differs.</summary>
    /// <param name="model">EF's finalized model.</param>
    /// <exception cref="InvalidOperationException">A table or column is named differently; the message names each with its fix.</exception>
    public static void Verify(IReadOnlyModel model)
    {
        var entityTypes = model.GetEntityTypes().ToList();
        if (GeneratedModel.For(EntityTables.ClrTypes(entityTypes)) is not { } found)
        {
            return;
        }

        var problems = new List<string>();
        foreach (var (entity, table) in EntityTables.Match(entityTypes, found.Assembly, found.Model))
        {
            string? efTable = entity.GetTableName();
            string efSchema = entity.GetSchema() ?? "public";
            if (efTable is null)
            {
                continue;
            }

            if (efTable != table.Name || efSchema != table.Schema)
            {
                problems.Add("entity " + entity.ClrType.Name + " is table \"" + efSchema + "." + efTable + "\" in EF Core's model but \""
                    + table.Schema + "." + table.Name + "\" in RlsSchema's. Fix: give the class [Table(\"" + efTable + "\")] (RlsSchema reads it; it cannot see ToTable), "
                    + "or call UseSnakeCaseNamingConvention() on the context's options (EFCore.NamingConventions).");
                continue;
            }

            var store = StoreObjectIdentifier.Table(efTable, entity.GetSchema());
            foreach (IReadOnlyProperty property in entity.GetProperties())
            {
                if (EntityTables.ColumnOf(property, table) is not { } column || property.GetColumnName(store) is not { } efColumn || efColumn == column.Name)
                {
                    continue;
                }

                problems.Add("property " + entity.ClrType.Name + "." + property.Name + " is column \"" + efColumn + "\" in EF Core's model but \""
                    + column.Name + "\" in RlsSchema's. Fix: call UseSnakeCaseNamingConvention() on the context's options (EFCore.NamingConventions), "
                    + "or give the property [Column(\"" + efColumn + "\")] (RlsSchema reads [Column]; it cannot see HasColumnName).");
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                "RlsSchema: EF Core's model and RlsSchema's name these differently, so the policies and grants would name columns EF Core does not create:\n  "
                + string.Join("\n  ", problems));
        }
    }
}
