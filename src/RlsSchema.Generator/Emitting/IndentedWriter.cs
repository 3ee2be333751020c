using System.Text;

namespace RlsSchema.Generator.Emitting
{
    /// <summary>Builds text line by line with indentation; lines always end with <c>\n</c> so output is the same on every OS.</summary>
    internal sealed class IndentedWriter
    {
        private readonly StringBuilder _builder = new StringBuilder();
        private readonly string _indentUnit;
        private int _depth;

        /// <summary>Creates a writer.</summary>
        /// <param name="indentUnit">One level of indentation.</param>
        public IndentedWriter(string indentUnit = "    ") => _indentUnit = indentUnit;

        /// <summary>Writes a line at the current indentation; an empty line carries no indentation.</summary>
        /// <param name="line">The text.</param>
        /// <returns>This writer.</returns>
        public IndentedWriter Line(string line = "")
        {
            if (line.Length > 0)
            {
                for (int i = 0; i < _depth; i++)
                {
                    _builder.Append(_indentUnit);
                }

                _builder.Append(line);
            }

            _builder.Append('\n');
            return this;
        }

        /// <summary>Writes an opening brace and indents.</summary>
        /// <returns>This writer.</returns>
        public IndentedWriter Open()
        {
            Line("{");
            _depth++;
            return this;
        }

        /// <summary>Outdents and writes a closing brace.</summary>
        /// <param name="suffix">Text after the brace, e.g. <c>;</c>.</param>
        /// <returns>This writer.</returns>
        public IndentedWriter Close(string suffix = "")
        {
            _depth--;
            Line("}" + suffix);
            return this;
        }

        /// <summary>Indents further.</summary>
        public void Indent() => _depth++;

        /// <summary>Indents less.</summary>
        public void Outdent() => _depth--;

        /// <inheritdoc/>
        public override string ToString() => _builder.ToString();
    }
}
