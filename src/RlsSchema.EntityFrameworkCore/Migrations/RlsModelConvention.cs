using System.Linq;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;
using RlsSchema.Schema;

namespace RlsSchema.EntityFrameworkCore.Migrations;

/// <summary>
/// Puts the generated RlsSchema model on EF's model as <see cref="RlsModelAnnotation.Name"/>, gives EF's tables the
/// defaults, checks and indexes RlsSchema declares (<see cref="TableDeclarations"/>), and checks, once the model is
/// final, that both models name the same tables and columns.
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
            TableDeclarations.Apply(entity, table);
        }
    }

    /// <inheritdoc />
    public IModel ProcessModelFinalized(IModel model)
    {
        NamingCheck.Verify(model);
        return model;
    }
}
