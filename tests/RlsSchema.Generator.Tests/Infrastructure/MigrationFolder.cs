using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using RlsSchema.Generator.Migrations;
using RlsSchema.Schema;

namespace RlsSchema.Generator.Tests.Infrastructure;

/// <summary>A file of a project's migrations folder, tagged the way the build targets tag it.</summary>
public sealed class MigrationFolderFile(string fileName, string text) : AdditionalText
{
    public override string Path { get; } = "/project/Migrations/" + fileName;

    public string Kind => fileName == MigrationFiles.SnapshotFileName ? "snapshot" : fileName.EndsWith(".sql") ? "migration" : "";

    public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
}

/// <summary>Gives each migrations folder file its <c>RlsSchemaKind</c> metadata.</summary>
public sealed class MigrationFolderOptions(IReadOnlyList<MigrationFolderFile> files) : AnalyzerConfigOptionsProvider
{
    public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(new Dictionary<string, string>());

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => GlobalOptions;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
        files.FirstOrDefault(f => ReferenceEquals(f, textFile)) is { Kind.Length: > 0 } file
            ? new Options(new Dictionary<string, string> { [MigrationFileReader.KindMetadata] = file.Kind })
            : GlobalOptions;

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
    }
}
