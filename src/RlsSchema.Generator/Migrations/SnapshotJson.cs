using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Migrations
{
    /// <summary>
    /// Writes and reads <c>rls-model.json</c>: the database model as of the latest migration, as stable, sorted,
    /// two-space-indented JSON with a format version, so that a change to the model is a small readable diff in review.
    /// </summary>
    internal static class SnapshotJson
    {
        /// <summary>Writes the snapshot.</summary>
        /// <param name="model">The model.</param>
        /// <returns>The JSON, ending with a newline.</returns>
        public static string Write(DatabaseModel model)
        {
            var w = new JsonWriter();
            w.BeginObject();
            w.Property("format").Number(DatabaseModel.CurrentFormat);
            w.Property("blanketGrants").Bool(model.BlanketGrants);
            w.Property("roles").Strings(model.Roles);
            w.Property("functions").BeginArray();
            foreach (FunctionModel f in model.Functions)
            {
                w.BeginObject();
                w.Property("signature").String(f.Signature);
                w.Property("declaration").String(f.Declaration);
                w.Property("returns").String(f.Returns);
                w.Property("securityDefiner").Bool(f.SecurityDefiner);
                w.Property("body").String(f.Body);
                w.EndObject();
            }

            w.EndArray();
            w.Property("tables").BeginArray();
            foreach (TableModel t in model.Tables)
            {
                w.BeginObject();
                w.Property("schema").String(t.Schema);
                w.Property("name").String(t.Name);
                w.Property("columns").BeginArray();
                foreach (ColumnDefinition c in t.Columns.OrderBy(c => c.Name, StringComparer.Ordinal))
                {
                    w.BeginObject();
                    w.Property("name").String(c.Name);
                    w.Property("type").String(c.Type);
                    w.Property("nullable").Bool(c.Nullable);
                    w.Property("identity").Bool(c.Identity);
                    w.Property("default").String(c.Default);
                    w.EndObject();
                }

                w.EndArray();
                w.Property("primaryKey").Strings(t.PrimaryKey);
                w.Property("checks").BeginArray();
                foreach (CheckDefinition c in t.Checks)
                {
                    w.BeginObject();
                    w.Property("name").String(c.Name);
                    w.Property("sql").String(c.Sql);
                    w.EndObject();
                }

                w.EndArray();
                w.Property("indexes").BeginArray();
                foreach (IndexDefinition i in t.Indexes)
                {
                    w.BeginObject();
                    w.Property("name").String(i.Name);
                    w.Property("columns").Strings(i.Columns);
                    w.Property("unique").Bool(i.Unique);
                    w.EndObject();
                }

                w.EndArray();
                w.Property("foreignKeys").BeginArray();
                foreach (ForeignKeyDefinition k in t.ForeignKeys)
                {
                    w.BeginObject();
                    w.Property("name").String(k.Name);
                    w.Property("columns").Strings(k.Columns);
                    w.Property("referencedSchema").String(k.ReferencedSchema);
                    w.Property("referencedTable").String(k.ReferencedTable);
                    w.Property("referencedColumns").Strings(k.ReferencedColumns);
                    w.Property("onDelete").String(k.OnDelete);
                    w.EndObject();
                }

                w.EndArray();
                w.Property("rowLevelSecurity").Bool(t.RowLevelSecurity);
                w.Property("forceRowLevelSecurity").Bool(t.ForceRowLevelSecurity);
                w.Property("policies").BeginArray();
                foreach (PolicyDefinition p in t.Policies)
                {
                    w.BeginObject();
                    w.Property("name").String(p.Name);
                    w.Property("command").String(p.Command);
                    w.Property("permissive").Bool(p.Permissive);
                    w.Property("roles").Strings(p.Roles);
                    w.Property("using").String(p.Using);
                    w.Property("withCheck").String(p.WithCheck);
                    w.EndObject();
                }

                w.EndArray();
                w.Property("grants").BeginArray();
                foreach (GrantDefinition g in t.Grants)
                {
                    w.BeginObject();
                    w.Property("role").String(g.Role);
                    w.Property("privileges").Strings(g.Privileges);
                    w.EndObject();
                }

                w.EndArray();
                w.EndObject();
            }

            w.EndArray();
            w.EndObject();
            return w.ToString() + "\n";
        }

        /// <summary>Reads a snapshot.</summary>
        /// <param name="json">The file's text.</param>
        /// <returns>The model.</returns>
        /// <exception cref="FormatException">The text is not a snapshot this version can read; the message says why.</exception>
        public static DatabaseModel Read(string json)
        {
            var root = Obj(new JsonReader(json).ReadDocument(), "the snapshot");
            long format = root.TryGetValue("format", out object? f) && f is long n ? n : 0;
            if (format != DatabaseModel.CurrentFormat)
            {
                throw new FormatException("format " + format.ToString(CultureInfo.InvariantCulture) + " is not " + DatabaseModel.CurrentFormat.ToString(CultureInfo.InvariantCulture) + ", the format this RlsSchema version reads");
            }

            return new DatabaseModel
            {
                BlanketGrants = Bool(root, "blanketGrants"),
                Roles = Strs(root, "roles"),
                Functions = Arr(root, "functions").Select(o => new FunctionModel
                {
                    Signature = Str(o, "signature"),
                    Declaration = Str(o, "declaration"),
                    Returns = Str(o, "returns"),
                    SecurityDefiner = Bool(o, "securityDefiner"),
                    Body = Str(o, "body"),
                }).ToImmutableEquatableArray(),
                Tables = Arr(root, "tables").Select(t => new TableModel
                {
                    Schema = Str(t, "schema"),
                    Name = Str(t, "name"),
                    Columns = Arr(t, "columns").Select(c => new ColumnDefinition
                    {
                        Name = Str(c, "name"),
                        Type = Str(c, "type"),
                        Nullable = Bool(c, "nullable"),
                        Identity = Bool(c, "identity"),
                        Default = OptStr(c, "default"),
                    }).ToImmutableEquatableArray(),
                    PrimaryKey = Strs(t, "primaryKey"),
                    Checks = Arr(t, "checks").Select(c => new CheckDefinition { Name = OptStr(c, "name"), Sql = Str(c, "sql") }).ToImmutableEquatableArray(),
                    Indexes = Arr(t, "indexes").Select(i => new IndexDefinition
                    {
                        Name = Str(i, "name"),
                        Columns = Strs(i, "columns"),
                        Unique = Bool(i, "unique"),
                    }).ToImmutableEquatableArray(),
                    ForeignKeys = Arr(t, "foreignKeys").Select(k => new ForeignKeyDefinition
                    {
                        Name = Str(k, "name"),
                        Columns = Strs(k, "columns"),
                        ReferencedSchema = Str(k, "referencedSchema"),
                        ReferencedTable = Str(k, "referencedTable"),
                        ReferencedColumns = Strs(k, "referencedColumns"),
                        OnDelete = Str(k, "onDelete"),
                    }).ToImmutableEquatableArray(),
                    RowLevelSecurity = Bool(t, "rowLevelSecurity"),
                    ForceRowLevelSecurity = Bool(t, "forceRowLevelSecurity"),
                    Policies = Arr(t, "policies").Select(p => new PolicyDefinition
                    {
                        Name = Str(p, "name"),
                        Command = Str(p, "command"),
                        Permissive = Bool(p, "permissive"),
                        Roles = Strs(p, "roles"),
                        Using = OptStr(p, "using"),
                        WithCheck = OptStr(p, "withCheck"),
                    }).ToImmutableEquatableArray(),
                    Grants = Arr(t, "grants").Select(g => new GrantDefinition { Role = Str(g, "role"), Privileges = Strs(g, "privileges") }).ToImmutableEquatableArray(),
                }).ToImmutableEquatableArray(),
            };
        }

        private static Dictionary<string, object?> Obj(object? value, string what) =>
            value as Dictionary<string, object?> ?? throw new FormatException(what + " is not a JSON object");

        private static IEnumerable<Dictionary<string, object?>> Arr(Dictionary<string, object?> o, string name) =>
            o.TryGetValue(name, out object? v) && v is List<object?> list
                ? list.Select(x => Obj(x, "an element of '" + name + "'"))
                : throw new FormatException("'" + name + "' is missing or not an array");

        private static string Str(Dictionary<string, object?> o, string name) =>
            OptStr(o, name) ?? throw new FormatException("'" + name + "' is missing");

        private static string? OptStr(Dictionary<string, object?> o, string name) =>
            !o.TryGetValue(name, out object? v) || v is null ? null
                : v as string ?? throw new FormatException("'" + name + "' is not a string");

        private static bool Bool(Dictionary<string, object?> o, string name) =>
            o.TryGetValue(name, out object? v) && v is bool b ? b : throw new FormatException("'" + name + "' is missing or not true/false");

        private static ImmutableEquatableArray<string> Strs(Dictionary<string, object?> o, string name) =>
            o.TryGetValue(name, out object? v) && v is List<object?> list
                ? list.Select(x => x as string ?? throw new FormatException("'" + name + "' holds a value that is not a string")).ToImmutableEquatableArray()
                : throw new FormatException("'" + name + "' is missing or not an array");

        private sealed class JsonWriter
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

        private sealed class JsonReader
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
}
