using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace RlsSchema.Schema
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
        public static string Write(DatabaseModel model) => Write(model, full: false);

        /// <summary>
        /// Writes the whole model, as the build hands it to <c>rlsschema migrations add</c>: the snapshot's fields, plus
        /// what a snapshot leaves out because the database does not hold it: <c>[RenamedFrom]</c> names, comments, the
        /// column a check is written on, and the columns in declaration order. <see cref="Read"/> reads both forms.
        /// </summary>
        /// <param name="model">The model.</param>
        /// <returns>The JSON, ending with a newline.</returns>
        public static string WriteFull(DatabaseModel model) => Write(model, full: true);

        private static string Write(DatabaseModel model, bool full)
        {
            var w = new JsonWriter();
            w.BeginObject();
            w.Property("format").Number(DatabaseModel.CurrentFormat);
            w.Property("blanketGrants").Bool(model.BlanketGrants);
            w.Property("functionPrivilegesFollowPolicies").Bool(model.FunctionPrivilegesFollowPolicies);
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
                if (full)
                {
                    w.Property("renamedFrom").String(t.RenamedFrom);
                    w.Property("comment").String(t.Comment);
                }

                w.Property("columns").BeginArray();
                foreach (ColumnDefinition c in full ? (IEnumerable<ColumnDefinition>)t.Columns : t.Columns.OrderBy(c => c.Name, StringComparer.Ordinal))
                {
                    w.BeginObject();
                    w.Property("name").String(c.Name);
                    w.Property("type").String(c.Type);
                    w.Property("nullable").Bool(c.Nullable);
                    w.Property("identity").Bool(c.Identity);
                    w.Property("default").String(c.Default);
                    if (full)
                    {
                        w.Property("renamedFrom").String(c.RenamedFrom);
                        w.Property("comment").String(c.Comment);
                    }

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
                    if (full)
                    {
                        w.Property("column").String(c.Column);
                    }

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
                FunctionPrivilegesFollowPolicies = root.TryGetValue("functionPrivilegesFollowPolicies", out object? follow) && follow is true,
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
                    RenamedFrom = OptStr(t, "renamedFrom"),
                    Comment = OptStr(t, "comment"),
                    Columns = Arr(t, "columns").Select(c => new ColumnDefinition
                    {
                        Name = Str(c, "name"),
                        Type = Str(c, "type"),
                        Nullable = Bool(c, "nullable"),
                        Identity = Bool(c, "identity"),
                        Default = OptStr(c, "default"),
                        RenamedFrom = OptStr(c, "renamedFrom"),
                        Comment = OptStr(c, "comment"),
                    }).ToImmutableEquatableArray(),
                    PrimaryKey = Strs(t, "primaryKey"),
                    Checks = Arr(t, "checks").Select(c => new CheckDefinition { Name = OptStr(c, "name"), Sql = Str(c, "sql"), Column = OptStr(c, "column") }).ToImmutableEquatableArray(),
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
    }
}
