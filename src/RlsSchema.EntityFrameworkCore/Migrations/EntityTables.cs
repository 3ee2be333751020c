using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations.Schema;
using System.Linq;
using System.Reflection;
using Microsoft.EntityFrameworkCore.Metadata;
using RlsSchema.Schema;

namespace RlsSchema.EntityFrameworkCore.Migrations;

/// <summary>
/// Pairs EF's entity types with the RlsSchema tables of the same classes, by the names the generator gives them:
/// <c>[Table]</c> or the class name in snake_case, <c>[Column]</c> or the property name in snake_case.
/// </summary>
internal static class EntityTables
{
    /// <summary>The entity types of <paramref name="model"/> that RlsSchema maps, each with its RlsSchema table.</summary>
    /// <param name="entityTypes">EF's entity types.</param>
    /// <param name="assembly">The assembly the RlsSchema model comes from.</param>
    /// <param name="model">That model.</param>
    /// <returns>The pairs.</returns>
    public static IEnumerable<(TEntity Entity, TableModel Table)> Match<TEntity>(IEnumerable<TEntity> entityTypes, Assembly assembly, DatabaseModel model)
        where TEntity : IReadOnlyEntityType
    {
        foreach (TEntity entity in entityTypes)
        {
            if (entity.ClrType.Assembly != assembly || entity.HasSharedClrType || entity.IsOwned())
            {
                continue;
            }

            var table = entity.ClrType.GetCustomAttribute<TableAttribute>(inherit: false);
            string schema = table?.Schema ?? "public";
            string name = table?.Name ?? SnakeCase.Of(entity.ClrType.Name);
            if (model.Tables.FirstOrDefault(t => t.Schema == schema && t.Name == name) is { } found)
            {
                yield return (entity, found);
            }
        }
    }

    /// <summary>The RlsSchema column of a property, or null when RlsSchema maps no column for it.</summary>
    /// <param name="property">EF's property.</param>
    /// <param name="table">The RlsSchema table of its entity.</param>
    /// <returns>The column, or null.</returns>
    public static ColumnDefinition? ColumnOf(IReadOnlyProperty property, TableModel table)
    {
        string name = property.PropertyInfo?.GetCustomAttribute<ColumnAttribute>(inherit: true)?.Name ?? SnakeCase.Of(property.Name);
        return table.Columns.FirstOrDefault(c => c.Name == name);
    }

    /// <summary>The CLR types of the entity types, for <see cref="GeneratedModel.For"/>.</summary>
    /// <param name="entityTypes">EF's entity types.</param>
    /// <returns>Their CLR types, shared-type entities left out.</returns>
    public static IEnumerable<Type> ClrTypes(IEnumerable<IReadOnlyEntityType> entityTypes) =>
        entityTypes.Where(e => !e.HasSharedClrType).Select(e => e.ClrType);
}
