using System.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;
using RlsSchema.Schema;

namespace RlsSchema.EntityFrameworkCore.Migrations;

/// <summary>
/// Puts the generated RlsSchema model on EF's model as <see cref="RlsModelAnnotation.Name"/>, gives EF's columns the SQL
/// defaults RlsSchema declares (<c>[DefaultSql]</c>, such as <c>auth.user_id()</c> on an owner column), and checks, once
/// the model is final, that both models name the same tables and columns.
/// </summary>
internal sealed class RlsModelConvention : IModelFinalizingConvention, IModelFinalizedConvention
{
    /// <inheritdoc />
    public void ProcessModelFinalizing(IConventionModelBuilder modelBuilder, IConventionContext<IConventionModelBuilder> context)
    {
        var entityTypes = modelBuilder.Metadata.GetEntityTypes().ToList();
        if (GeneratedModel.For(EntityTables.ClrTypes(entityTypes)) is not { } found)
        {
            return;
        }

        modelBuilder.HasAnnotation(RlsModelAnnotation.Name, SnapshotJson.Write(found.Model));
        foreach (var (entity, table) in EntityTables.Match(entityTypes, found.Assembly, found.Model))
        {
            foreach (IConventionProperty property in entity.GetProperties())
            {
                // Booleans keep EF's own default handling (a store default on a bool makes EF warn and skip false).
                if (EntityTables.ColumnOf(property, table) is { Default: { } sql, Identity: false }
                    && !property.IsKey()
                    && (System.Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType) != typeof(bool)
                    && property.GetDefaultValueSql() is null
                    && property.GetDefaultValue() is null)
                {
                    property.Builder.HasDefaultValueSql(sql);
                }
            }
        }
    }

    /// <inheritdoc />
    public IModel ProcessModelFinalized(IModel model)
    {
        NamingCheck.Verify(model);
        return model;
    }
}
