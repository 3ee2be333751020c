using Microsoft.EntityFrameworkCore.Metadata.Conventions;
using Microsoft.EntityFrameworkCore.Metadata.Conventions.Infrastructure;

namespace RlsSchema.EntityFrameworkCore.Migrations;

/// <summary>Adds <see cref="RlsModelConvention"/> to the context's conventions, after every other model-finalizing one.</summary>
internal sealed class RlsConventionSetPlugin : IConventionSetPlugin
{
    /// <inheritdoc />
    public ConventionSet ModifyConventions(ConventionSet conventionSet)
    {
        var convention = new RlsModelConvention();
        conventionSet.ModelFinalizingConventions.Add(convention);
        conventionSet.ModelFinalizedConventions.Add(convention);
        return conventionSet;
    }
}
