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

        var matched = EntityTables.Match(entityTypes, found.Assembly, found.Model).ToList();
        foreach (var (entity, table) in matched)
        {
            TableDeclarations.Apply(entity, table);
        }

        // Only the tables this context maps: another context of the same assembly migrates its own tables' security.
        var tables = matched.Select(m => m.Table).ToHashSet();
        DatabaseModel model = found.Model with { Tables = found.Model.Tables.Where(tables.Contains).ToImmutableEquatableArray() };
        modelBuilder.HasAnnotation(RlsModelAnnotation.Name, SnapshotJson.Write(model));
    }

    /// <inheritdoc />
    public IModel ProcessModelFinalized(IModel model)
    {
        NamingCheck.Verify(model);
        return model;
    }
}
