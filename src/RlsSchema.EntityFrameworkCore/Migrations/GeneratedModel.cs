using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using RlsSchema.Schema;

namespace RlsSchema.EntityFrameworkCore.Migrations;

/// <summary>
/// Reads the RlsSchema model the generator compiled into the entities' assembly: the constant
/// <c>RlsSchema.Generated.RlsSchemaModel.Sql</c>, which holds the model as JSON (the generator writes it for every
/// project with annotated entities, and the build copies it to <c>rls/model.json</c>). A constant is metadata: reading it
/// runs no code of the assembly, and adds no public type to it or to this package. Model building and migrations read
/// it, which happen with the assembly's full metadata (EF Core builds no model of a trimmed app without a compiled model).
/// </summary>
internal static class GeneratedModel
{
    /// <summary>The generated type's full name.</summary>
    public const string TypeName = "RlsSchema.Generated.RlsSchemaModel";

    /// <summary>The constant's name.</summary>
    public const string FieldName = "Sql";

    private static readonly ConcurrentDictionary<Assembly, DatabaseModel?> Models = new();

    /// <summary>The model of the assemblies that declare <paramref name="types"/>, or null when none of them has one.</summary>
    /// <param name="types">The CLR types of EF's entity types.</param>
    /// <returns>The assembly and its model, or null.</returns>
    /// <exception cref="InvalidOperationException">The entities come from two assemblies that each have a model.</exception>
    public static (Assembly Assembly, DatabaseModel Model)? For(IEnumerable<Type> types)
    {
        var found = types.Select(t => t.Assembly).Distinct()
            .Select(a => (Assembly: a, Model: Of(a)))
            .Where(p => p.Model is not null)
            .ToList();
        if (found.Count > 1)
        {
            throw new InvalidOperationException(
                "RlsSchema: the context's entities come from " + string.Join(" and ", found.Select(f => f.Assembly.GetName().Name))
                + ", and each has its own RlsSchema model. One context maps the entities of one assembly: keep the annotated entities together in one project.");
        }

        return found.Count == 0 ? null : (found[0].Assembly, found[0].Model!);
    }

    /// <summary>The model compiled into <paramref name="assembly"/>, or null when it has none.</summary>
    /// <param name="assembly">The assembly.</param>
    /// <returns>The model, or null.</returns>
    public static DatabaseModel? Of(Assembly assembly) => Models.GetOrAdd(assembly, static a =>
    {
        if (a.IsDynamic || a.GetType(TypeName, throwOnError: false) is not { } type
            || type.GetField(FieldName, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static) is not { IsLiteral: true } field
            || field.GetRawConstantValue() is not string json)
        {
            return null;
        }

        try
        {
            return SnapshotJson.Read(json);
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException(
                "RlsSchema: the model compiled into " + a.GetName().Name + " cannot be read (" + e.Message
                + "); rebuild it with the RlsSchema.Generator version that matches RlsSchema.EntityFrameworkCore.", e);
        }
    });
}
