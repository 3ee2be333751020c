using System;
using System.IO;
using RlsSchema.Generated;

namespace Teams;

/// <summary>The migration script: the file the build wrote beside the executable, else the compiled constant.</summary>
internal sealed record SchemaScript(string Sql, string Source)
{
    public static SchemaScript Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "rls", "schema.sql");
        if (!File.Exists(path))
        {
            return new SchemaScript(RlsSchemaScript.Sql, "RlsSchemaScript.Sql (no rls/schema.sql beside the executable)");
        }

        var shown = Path.GetRelativePath(Environment.CurrentDirectory, path);
        var sql = File.ReadAllText(path);
        return sql == RlsSchemaScript.Sql
            ? new SchemaScript(sql, shown + ", written by the build")
            : new SchemaScript(sql, shown + ", written by the build (differs from the compiled script: rebuild?)");
    }
}
