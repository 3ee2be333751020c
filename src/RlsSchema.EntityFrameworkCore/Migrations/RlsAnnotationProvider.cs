using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.Internal;

namespace RlsSchema.EntityFrameworkCore.Migrations;

#pragma warning disable EF1001 // Npgsql's provider is internal API: the package pins its version, and the migrations tests run it.

/// <summary>
/// Npgsql's annotation provider, which passes on to the relational model (and so to the migrations differ) only the
/// model annotations it knows, plus <see cref="RlsModelAnnotation.Name"/>.
/// </summary>
internal sealed class RlsAnnotationProvider(RelationalAnnotationProviderDependencies dependencies) : NpgsqlAnnotationProvider(dependencies)
{
    /// <inheritdoc />
    public override IEnumerable<IAnnotation> For(IRelationalModel model, bool designTime)
    {
        foreach (IAnnotation annotation in base.For(model, designTime))
        {
            yield return annotation;
        }

        if (model.Model.FindAnnotation(RlsModelAnnotation.Name) is { } rls)
        {
            yield return rls;
        }
    }
}
