using System.Collections.Generic;
using System.Linq;
using RlsSchema;
using RlsSchema.Generated;

namespace Todos;

/// <summary>Says which of the project's migrations (Migrations/, embedded by the build) a start-up applied.</summary>
internal static class MigrationsText
{
    public static string Describe(IReadOnlyList<RlsMigration> applied) =>
        $"Migrations/ ({string.Join(", ", RlsMigrations.All)}): "
        + (applied.Count == 0 ? "all applied already" : "applied " + string.Join(", ", applied.Select(m => m.ToString())));
}
