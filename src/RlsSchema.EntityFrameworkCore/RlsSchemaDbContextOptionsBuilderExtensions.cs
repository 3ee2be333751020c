using System;
using Microsoft.EntityFrameworkCore.Infrastructure;
using RlsSchema.EntityFrameworkCore;

namespace Microsoft.EntityFrameworkCore;

/// <summary>The one line that puts a DbContext under RlsSchema: <c>options.UseNpgsql(...).UseRlsSchema()</c>.</summary>
public static class RlsSchemaDbContextOptionsBuilderExtensions
{
    /// <summary>
    /// Runs the context's queries and <c>SaveChanges</c> as its row-level security session, and makes EF migrations
    /// carry the row-level security of the entities annotated for RlsSchema.
    /// </summary>
    /// <param name="optionsBuilder">The context's options, with the Npgsql provider configured.</param>
    /// <returns>The same options builder.</returns>
    public static DbContextOptionsBuilder UseRlsSchema(this DbContextOptionsBuilder optionsBuilder)
    {
        ArgumentNullException.ThrowIfNull(optionsBuilder);
        var extension = optionsBuilder.Options.FindExtension<RlsSchemaOptionsExtension>() ?? new RlsSchemaOptionsExtension();
        ((IDbContextOptionsBuilderInfrastructure)optionsBuilder).AddOrUpdateExtension(extension);
        return optionsBuilder;
    }

    /// <summary>
    /// Runs the context's queries and <c>SaveChanges</c> as its row-level security session, and makes EF migrations
    /// carry the row-level security of the entities annotated for RlsSchema.
    /// </summary>
    /// <typeparam name="TContext">The context type.</typeparam>
    /// <param name="optionsBuilder">The context's options, with the Npgsql provider configured.</param>
    /// <returns>The same options builder.</returns>
    public static DbContextOptionsBuilder<TContext> UseRlsSchema<TContext>(this DbContextOptionsBuilder<TContext> optionsBuilder)
        where TContext : DbContext
        => (DbContextOptionsBuilder<TContext>)UseRlsSchema((DbContextOptionsBuilder)optionsBuilder);
}
