using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace RlsSchema.Generator.Migrations
{
    /// <summary>Picks the migrations folder's files out of the additional files (the build tags them with <c>RlsSchemaKind</c>).</summary>
    internal static class MigrationFileReader
    {
        /// <summary>The item metadata the build targets set on the folder's files.</summary>
        public const string KindMetadata = "build_metadata.AdditionalFiles.RlsSchemaKind";

        /// <summary>Reads one additional file, or returns null when it is not one of the migrations folder's.</summary>
        /// <param name="file">The additional file.</param>
        /// <param name="options">Its options.</param>
        /// <param name="cancellationToken">Cancels the read.</param>
        /// <returns>The input, or null.</returns>
        public static MigrationInput? Read(AdditionalText file, AnalyzerConfigOptions options, CancellationToken cancellationToken)
        {
            if (!options.TryGetValue(KindMetadata, out string? kind) || (kind != "migration" && kind != "snapshot"))
            {
                return null;
            }

            // A checkout with CRLF line ends or a byte order mark must give the same checksum as one without.
            string text = MigrationFiles.Normalize(file.GetText(cancellationToken)?.ToString() ?? "");
            string name = System.IO.Path.GetFileName(file.Path);
            return new MigrationInput(file.Path, name, kind == "snapshot", text);
        }
    }
}
