using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace RlsSchema.Schema
{
    /// <summary>A small JSON reader: objects become dictionaries, arrays lists, whole numbers longs; anything malformed throws <see cref="FormatException"/>.</summary>
    internal sealed class JsonReader
    {
        private readonly string _s;
        private int _i;

        public JsonReader(string s) => _s = s;

        public object? ReadDocument()
        {
            if (_s.Length > 0 && _s[0] == '\uFEFF')
            {
                _i = 1;
            }

            object? value = ReadValue();
            SkipSpace();
            if (_i != _s.Length)
            {
                throw Error("text after the end of the document");
            }

            return value;
        }

        private object? ReadValue()
        {
            SkipSpace();
            if (_i >= _s.Length)
            {
                throw Error("the document ends early");
            }

            char c = _s[_i];
            switch (c)
            {
                case '{': return ReadObject();
                case '[': return ReadArray();
                case '"': return ReadString();
                case 't': return Literal("true", true);
                case 'f': return Literal("false", false);
                case 'n': return Literal("null", null);
                default:
                    if (c == '-' || (c >= '0' && c <= '9'))
                    {
                        int start = _i++;
                        while (_i < _s.Length && _s[_i] >= '0' && _s[_i] <= '9')
                        {
                            _i++;
                        }

                        return long.TryParse(_s.Substring(start, _i - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n)
                            ? n : throw Error("a number out of range");
                    }

                    throw Error("unexpected '" + c + "'");
            }
        }

        private Dictionary<string, object?> ReadObject()
        {
            var o = new Dictionary<string, object?>(StringComparer.Ordinal);
            _i++;
            SkipSpace();
            if (Peek() == '}')
            {
                _i++;
                return o;
            }

            while (true)
            {
                SkipSpace();
                if (Peek() != '"')
                {
                    throw Error("expected a property name");
                }

                string name = ReadString();
                SkipSpace();
                Expect(':');
                o[name] = ReadValue();
                SkipSpace();
                if (Peek() == ',')
                {
                    _i++;
                    continue;
                }

                Expect('}');
                return o;
            }
        }

        private List<object?> ReadArray()
        {
            var list = new List<object?>();
            _i++;
            SkipSpace();
            if (Peek() == ']')
            {
                _i++;
                return list;
            }

            while (true)
            {
                list.Add(ReadValue());
                SkipSpace();
                if (Peek() == ',')
                {
                    _i++;
                    continue;
                }

                Expect(']');
                return list;
            }
        }

        private string ReadString()
        {
            var b = new StringBuilder();
            _i++;
            while (_i < _s.Length)
            {
                char c = _s[_i++];
                if (c == '"')
                {
                    return b.ToString();
                }

                if (c != '\\')
                {
                    b.Append(c);
                    continue;
                }

                if (_i >= _s.Length)
                {
                    break;
                }

                char e = _s[_i++];
                switch (e)
                {
                    case '"': b.Append('"'); break;
                    case '\\': b.Append('\\'); break;
                    case '/': b.Append('/'); break;
                    case 'b': b.Append('\b'); break;
                    case 'f': b.Append('\f'); break;
                    case 'n': b.Append('\n'); break;
                    case 'r': b.Append('\r'); break;
                    case 't': b.Append('\t'); break;
                    case 'u':
                        if (_i + 4 > _s.Length || !int.TryParse(_s.Substring(_i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code))
                        {
                            throw Error("a malformed \\u escape");
                        }

                        b.Append((char)code);
                        _i += 4;
                        break;
                    default: throw Error("an unknown escape \\" + e);
                }
            }

            throw Error("a string is not closed");
        }

        private object? Literal(string word, object? value)
        {
            if (string.CompareOrdinal(_s, _i, word, 0, word.Length) != 0)
            {
                throw Error("unexpected text");
            }

            _i += word.Length;
            return value;
        }

        private void Expect(char c)
        {
            if (Peek() != c)
            {
                throw Error("expected '" + c + "'");
            }

            _i++;
        }

        private char Peek() => _i < _s.Length ? _s[_i] : '\0';

        private void SkipSpace()
        {
            while (_i < _s.Length && (_s[_i] == ' ' || _s[_i] == '\n' || _s[_i] == '\r' || _s[_i] == '\t'))
            {
                _i++;
            }
        }

        private FormatException Error(string what)
        {
            int line = 1;
            for (int k = 0; k < _i && k < _s.Length; k++)
            {
                if (_s[k] == '\n')
                {
                    line++;
                }
            }

            return new FormatException("invalid JSON at line " + line.ToString(CultureInfo.InvariantCulture) + ": " + what);
        }
    }
}
