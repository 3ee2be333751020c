namespace RlsSchema.Generator.Migrations
{
    /// <summary>A file of the project's migrations folder, as the build passed it in.</summary>
    /// <param name="Path">The file's path.</param>
    /// <param name="FileName">The file's name.</param>
    /// <param name="IsSnapshot">True for <c>rls-model.json</c>, false for a migration.</param>
    /// <param name="Text">The file's text, with <c>\n</c> line ends and no byte order mark.</param>
    internal sealed record MigrationInput(string Path, string FileName, bool IsSnapshot, string Text);
}
