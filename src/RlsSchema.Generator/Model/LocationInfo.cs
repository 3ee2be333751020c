using Microsoft.CodeAnalysis.Text;

namespace RlsSchema.Generator.Model
{
    /// <summary>
    /// Where in the user's code something was declared, as plain data: a <c>Location</c> would pin a syntax tree
    /// in the pipeline's cache and defeat incrementality.
    /// </summary>
    /// <param name="FilePath">The source file.</param>
    /// <param name="Span">The character span in the file.</param>
    /// <param name="LineSpan">The line and column span in the file.</param>
    internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan);
}
