using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace RlsSchema.Schema
{
    /// <summary>A small JSON writer: two-space indentation, properties in the order written, strings escaped as JSON requires.</summary>
    internal sealed class JsonWriter
    {
        private readonly StringBuilder _b = new StringBuilder();
        private readonly Stack<bool> _first = new Stack<bool>();
        private bool _afterProperty;

        public JsonWriter BeginObject() => Open('{');

        public JsonWriter EndObject() => Close('}');

        public JsonWriter BeginArray() => Open('[');

        public JsonWriter EndArray() => Close(']');

        public JsonWriter Property(string name)
        {
            Separate();
            Quote(name);
            _b.Append(": ");
            _afterProperty = true;
            return this;
        }

        public JsonWriter String(string? value)
        {
            Separate();
            if (value is null)
            {
                _b.Append("null");
            }
            else
            {
                Quote(value);
            }

            return this;
        }

        public JsonWriter Bool(bool value)
        {
            Separate();
            _b.Append(value ? "true" : "false");
            return this;
        }

        public JsonWriter Number(long value)
        {
            Separate();
            _b.Append(value.ToString(CultureInfo.InvariantCulture));
            return this;
        }

        // Short string arrays stay on one line: roles, privileges, index columns.
        public JsonWriter Strings(IEnumerable<string> values)
        {
            Separate();
            _b.Append('[');
            bool first = true;
            foreach (string v in values)
            {
                _b.Append(first ? "" : ", ");
                Quote(v);
                first = false;
            }

            _b.Append(']');
            return this;
        }

        public override string ToString() => _b.ToString();

        private JsonWriter Open(char c)
        {
            Separate();
            _b.Append(c);
            _first.Push(true);
            return this;
        }

        private JsonWriter Close(char c)
        {
            bool empty = _first.Pop();
            if (!empty)
            {
                NewLine();
            }

            _b.Append(c);
            return this;
        }

        private void Separate()
        {
            if (_afterProperty)
            {
                _afterProperty = false;
                return;
            }

            if (_first.Count == 0)
            {
                return;
            }

            if (!_first.Peek())
            {
                _b.Append(',');
            }

            _first.Pop();
            _first.Push(false);
            NewLine();
        }

        private void NewLine() => _b.Append('\n').Append(' ', _first.Count * 2);

        private void Quote(string s)
        {
            _b.Append('"');
            foreach (char c in s)
            {
                switch (c)
                {
                    case '"': _b.Append("\\\""); break;
                    case '\\': _b.Append("\\\\"); break;
                    case '\n': _b.Append("\\n"); break;
                    case '\r': _b.Append("\\r"); break;
                    case '\t': _b.Append("\\t"); break;
                    default:
                        if (c < 0x20)
                        {
                            _b.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            _b.Append(c);
                        }

                        break;
                }
            }

            _b.Append('"');
        }
    }
}
