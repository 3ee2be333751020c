using System.Collections.Generic;
using System.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RlsSchema.Schema;

namespace RlsSchema.EntityFrameworkCore.Migrations;

/// <summary>
/// Gives an EF entity type what RlsSchema declares on its table and EF Core has no attribute for, so that the table EF's
/// migrations create is the one the policies were written for: SQL defaults (<c>[DefaultSql]</c>, such as
/// <c>auth.user_id()</c> on an owner column), checks (<c>[Check]</c>) and indexes (the owner column's, <c>[Index]</c>).
/// What EF's model already configures is left as it is.
/// </summary>
internal static class TableDeclarations
{
    /// <summary>Adds the table's defaults, checks and indexes to the entity type.</summary>
    /// <param name="entity">EF's entity type.</param>
    /// <param name="table">Its RlsSchema table.</param>
    public static void Apply(IConventionEntityType entity, TableModel table)
    {
        var columns = new Dictionary<string, IConventionProperty>();
        foreach (IConventionProperty property in entity.GetProperties())
        {
            if (EntityTables.ColumnOf(property, table) is not { } column)
            {
                continue;
            }

            columns[column.Name] = property;

            // Booleans keep EF's own default handling (a store default on a bool makes EF warn and skip false).
            if (column is { Default: { } sql, Identity: false }
                && !property.IsKey()
                && (System.Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType) != typeof(bool)
                && property.FindAnnotation(RelationalAnnotationNames.DefaultValueSql) is null
                && property.FindAnnotation(RelationalAnnotationNames.DefaultValue) is null
                && property.FindAnnotation(RelationalAnnotationNames.ComputedColumnSql) is null)
            {
                property.Builder.HasDefaultValueSql(sql);
            }
        }

        foreach (CheckDefinition check in table.Checks)
        {
            // An unnamed check is named by PostgreSQL's rule, as the rlsschema script's would be.
            string name = check.Name ?? (check.Column is { } column ? table.Name + "_" + column + "_check" : table.Name + "_check");
            if (entity.GetCheckConstraints().All(c => c.Name != name && c.Sql != check.Sql))
            {
                entity.Builder.HasCheckConstraint(name, check.Sql);
            }
        }

        foreach (IndexDefinition index in table.Indexes)
        {
            if (index.Columns.Any(c => !columns.ContainsKey(c)))
            {
                continue;
            }

            var properties = index.Columns.Select(c => columns[c]).ToList();
            if (entity.FindIndex(properties) is null && entity.Builder.HasIndex(properties) is { } added)
            {
                added.HasDatabaseName(index.Name);
                added.IsUnique(index.Unique);
            }
        }
    }
}
