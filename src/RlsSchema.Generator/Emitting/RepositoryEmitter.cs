using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Emitting
{
    /// <summary>
    /// Writes the typed repository of one entity: constant SQL with <c>@parameters</c> only, every selected column
    /// aliased to its property, and RETURNING on every write, all run through <c>RlsSchema.Npgsql.IRlsSession</c>.
    /// </summary>
    internal static class RepositoryEmitter
    {
        private const string Session = "global::RlsSchema.Npgsql.IRlsSession";
        private const string Token = "global::System.Threading.CancellationToken";

        /// <summary>The hint name of an entity's repository file.</summary>
        /// <param name="entity">The entity.</param>
        /// <returns>A unique file name.</returns>
        public static string HintName(EntityModel entity) =>
            (entity.Namespace.Length == 0 ? "" : entity.Namespace + ".") + entity.ClassName + "Repository.g.cs";

        /// <summary>Writes the repository source.</summary>
        /// <param name="entity">The entity.</param>
        /// <returns>The C# source.</returns>
        public static string Emit(EntityModel entity)
        {
            // A composite key (EF Core's [PrimaryKey]) in its column order: each method takes every part of it.
            List<ColumnModel> keys = entity.Columns.Where(c => c.IsKey).OrderBy(c => c.KeyOrder).ToList();
            ColumnModel key = keys[0];
            string table = (entity.Schema is null ? "" : SqlSyntax.QuotedIdentifier(entity.Schema) + ".") + SqlSyntax.QuotedIdentifier(entity.TableName);
            string selectList = string.Join(", ", entity.Columns.Select(c => SelectExpression(c) + " AS " + SqlSyntax.QuotedIdentifier(c.PropertyName)));
            string keyCondition = string.Join(" AND ", keys.Select(k => SqlSyntax.QuotedIdentifier(k.ColumnName) + " = @" + k.PropertyName));
            string keyColumns = string.Join(", ", keys.Select(k => SqlSyntax.QuotedIdentifier(k.ColumnName)));
            string orderBy = " ORDER BY " + keyColumns;

            List<ColumnModel> inserted = entity.Columns.Where(c => c.IsWritable).ToList();
            string insertSql = inserted.Count == 0
                ? "INSERT INTO " + table + " DEFAULT VALUES RETURNING " + selectList
                : "INSERT INTO " + table + " (" + string.Join(", ", inserted.Select(c => SqlSyntax.QuotedIdentifier(c.ColumnName)))
                    + ") VALUES (" + string.Join(", ", inserted.Select(c => c.UsesServerDefault ? "COALESCE(CAST(" + Parameter(c) + " AS " + c.CastType + "), (" + SqlExpressions.Default(c.Default!) + "))" : Parameter(c)))
                    + ") RETURNING " + selectList;

            List<ColumnModel> updated = entity.Columns.Where(c => c.IsUpdatable && !c.IsKey).ToList();
            string assignments = updated.Count == 0
                ? SqlSyntax.QuotedIdentifier(key.ColumnName) + " = " + SqlSyntax.QuotedIdentifier(key.ColumnName)
                : string.Join(", ", updated.Select(c => SqlSyntax.QuotedIdentifier(c.ColumnName) + " = "
                    + (c.UsesServerDefault ? "COALESCE(CAST(" + Parameter(c) + " AS " + c.CastType + "), " + SqlSyntax.QuotedIdentifier(c.ColumnName) + ")" : Parameter(c))));
            string updateSql = "UPDATE " + table + " SET " + assignments + " WHERE " + keyCondition + " RETURNING " + selectList;

            string selectSql = "SELECT " + selectList + " FROM " + table;
            string getSql = selectSql + " WHERE " + keyCondition;
            string listSql = selectSql + orderBy;
            string countSql = "SELECT count(*) FROM " + table;
            string pageSql = selectSql + orderBy + " LIMIT @Limit";
            // Keyset paging on a composite key compares rows, (a, b) > (@AfterA, @AfterB), which the key's index serves.
            string pageAfterSql = selectSql + " WHERE " + (keys.Count == 1 ? keyColumns + " > @After"
                : "(" + keyColumns + ") > (" + string.Join(", ", keys.Select(k => "@After" + k.PropertyName)) + ")") + orderBy + " LIMIT @Limit";
            var listBy = new List<KeyValuePair<ForeignKeyModel, ColumnModel>>();
            foreach (ForeignKeyModel foreignKey in entity.ForeignKeys)
            {
                ColumnModel? column = entity.Columns.FirstOrDefault(c => c.PropertyName == foreignKey.PropertyName);
                if (column is not null && foreignKey.NavigationName is not null && foreignKey.PropertyNames.Count == 1)
                {
                    listBy.Add(new KeyValuePair<ForeignKeyModel, ColumnModel>(foreignKey, column));
                }
            }

            string deleteSql = "DELETE FROM " + table + " WHERE " + keyCondition + " RETURNING " + SqlSyntax.QuotedIdentifier(key.ColumnName) + " AS " + SqlSyntax.QuotedIdentifier(key.PropertyName);
            OwnerModel? owner = entity.Owner;
            string? listMineSql = owner is null ? null
                : selectSql + " WHERE " + SqlSyntax.QuotedIdentifier(owner.ColumnName) + " = (select " + SqlExpressions.CurrentUserId(owner.IdType) + ")" + orderBy;

            string entityType = entity.FullyQualifiedName;
            string repository = entity.ClassName + "Repository";
            string keyType = key.ClrTypeWithoutNullable;
            string keyParameters = string.Join(", ", keys.Select(k => k.ClrTypeWithoutNullable + " " + ParameterName(k)));
            string keyArguments = "new { " + string.Join(", ", keys.Select(k => CSharpName(k.PropertyName) + " = " + ParameterName(k))) + " }";
            string afterType = keys.Count == 1 ? keyType : "(" + string.Join(", ", keys.Select(k => k.ClrTypeWithoutNullable + " " + k.PropertyName)) + ")";
            string afterArguments = keys.Count == 1 ? "After = after" : string.Join(", ", keys.Select(k => "After" + k.PropertyName + " = after.Value." + CSharpName(k.PropertyName)));
            string cref = "<see cref=\"" + entityType + "\"/>";
            string tableDoc = Xml(entity.Schema is null ? entity.TableName : entity.Schema + "." + entity.TableName);

            var w = new IndentedWriter();
            w.Line("// <auto-generated/>");
            w.Line("#nullable enable");
            w.Line();
            bool hasNamespace = entity.Namespace.Length > 0;
            if (hasNamespace)
            {
                w.Line("namespace " + entity.Namespace);
                w.Open();
            }

            w.Line("/// <summary>");
            w.Line("/// Reads and writes " + cref + " rows of table <c>" + tableDoc + "</c> through an <see cref=\"" + Session + "\"/>, so the");
            w.Line("/// table's row-level security policies decide which rows the session's user sees and changes.");
            w.Line("/// </summary>");
            w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"RlsSchema.Generator\", \"" + GeneratedCodeInfo.Version + "\")]");
            w.Line(entity.Accessibility + " sealed partial class " + repository);
            w.Open();
            w.Line("/// <summary>");
            w.Line("/// The select list, every column aliased to its property, so that custom SQL through the session maps without");
            w.Line("/// hand-written aliases: <c>SELECT {Columns} FROM ... WHERE ...</c>.");
            w.Line("/// </summary>");
            w.Line("public const string Columns = " + Literal(selectList) + ";");
            w.Line();
            w.Line("private const string InsertSql = " + Literal(insertSql) + ";");
            w.Line("private const string GetSql = " + Literal(getSql) + ";");
            w.Line("private const string ListSql = " + Literal(listSql) + ";");
            if (listMineSql is not null)
            {
                w.Line("private const string ListMineSql = " + Literal(listMineSql) + ";");
            }

            w.Line("private const string CountSql = " + Literal(countSql) + ";");
            w.Line("private const string PageSql = " + Literal(pageSql) + ";");
            w.Line("private const string PageAfterSql = " + Literal(pageAfterSql) + ";");
            foreach (KeyValuePair<ForeignKeyModel, ColumnModel> by in listBy)
            {
                w.Line("private const string ListBy" + by.Key.NavigationName + "Sql = " + Literal(selectSql + " WHERE " + SqlSyntax.QuotedIdentifier(by.Value.ColumnName) + " = @Value" + orderBy) + ";");
            }

            w.Line("private const string UpdateSql = " + Literal(updateSql) + ";");
            w.Line("private const string DeleteSql = " + Literal(deleteSql) + ";");
            w.Line();
            w.Line("private readonly " + Session + " _session;");
            w.Line();
            List<string> collections = entity.Columns.Where(c => c.SqlType.EndsWith("[]", System.StringComparison.Ordinal)).Select(c => c.ClrTypeWithoutNullable).Distinct().ToList();
            if (collections.Count > 0)
            {
                w.Line("static " + repository + "()");
                w.Open();
                foreach (string collection in collections)
                {
                    w.Line("global::RlsSchema.Npgsql.RlsColumnTypes.RegisterCollection<" + collection + ">();");
                }

                w.Close();
                w.Line();
            }

            w.Line("/// <summary>Creates a repository that runs its SQL through <paramref name=\"session\"/>.</summary>");
            w.Line("/// <param name=\"session\">The end user's session; its role and claims decide what the policies allow.</param>");
            w.Line("public " + repository + "(" + Session + " session)");
            w.Open();
            w.Line("_session = session ?? throw new global::System.ArgumentNullException(nameof(session));");
            w.Close();

            w.Line();
            w.Line("/// <summary>");
            w.Line("/// Inserts <paramref name=\"entity\"/> and returns the row as stored, with the values the database produced.");
            if (inserted.Any(c => c.UsesServerDefault))
            {
                w.Line("/// Columns with a server default (" + Xml(string.Join(", ", inserted.Where(c => c.UsesServerDefault).Select(c => c.PropertyName)))
                    + ") take it when the property holds its default value (null, empty or default).");
            }

            w.Line("/// </summary>");
            w.Line("/// <param name=\"entity\">The values to insert.</param>");
            w.Line("/// <param name=\"cancellationToken\">Cancels the statement.</param>");
            w.Line("/// <returns>The inserted row.</returns>");
            w.Line("/// <exception cref=\"global::RlsSchema.Npgsql.RlsAuthorizationException\">A policy refused the row.</exception>");
            w.Line("public async global::System.Threading.Tasks.Task<" + entityType + "> InsertAsync(" + entityType + " entity, " + Token + " cancellationToken = default)");
            w.Open();
            WriteEntityNullCheck(w);
            w.Line("var row = await _session.QuerySingleOrDefaultAsync<" + entityType + ">(InsertSql, " + ParameterObject(inserted, updating: false) + ", cancellationToken).ConfigureAwait(false);");
            w.Line("return row ?? throw new global::System.InvalidOperationException(\"The INSERT into " + Escape(tableDoc) + " returned no row.\");");
            w.Close();

            w.Line();
            w.Line("/// <summary>Gets the row with the given key, when the policies let the session's user see it.</summary>");
            WriteKeyParameterDocs(w, keys);
            w.Line("/// <param name=\"cancellationToken\">Cancels the query.</param>");
            w.Line("/// <returns>The row, or null when there is none or it is not visible.</returns>");
            w.Line("public global::System.Threading.Tasks.Task<" + entityType + "?> GetAsync(" + keyParameters + ", " + Token + " cancellationToken = default)");
            w.Line("    => _session.QuerySingleOrDefaultAsync<" + entityType + ">(GetSql, " + keyArguments + ", cancellationToken);");

            w.Line();
            w.Line("/// <summary>Lists every row the policies let the session's user see, ordered by key.</summary>");
            w.Line("/// <param name=\"cancellationToken\">Cancels the query.</param>");
            w.Line("/// <returns>The visible rows.</returns>");
            w.Line("public global::System.Threading.Tasks.Task<global::System.Collections.Generic.IReadOnlyList<" + entityType + ">> ListAsync(" + Token + " cancellationToken = default)");
            w.Line("    => _session.QueryAsync<" + entityType + ">(ListSql, null, cancellationToken);");

            if (listMineSql is not null && owner is not null)
            {
                w.Line();
                w.Line("/// <summary>Lists the rows the session's user owns (<c>" + Xml(owner.PropertyName) + "</c> is the user's id), ordered by key.</summary>");
                w.Line("/// <param name=\"cancellationToken\">Cancels the query.</param>");
                w.Line("/// <returns>The user's rows.</returns>");
                w.Line("public global::System.Threading.Tasks.Task<global::System.Collections.Generic.IReadOnlyList<" + entityType + ">> ListMineAsync(" + Token + " cancellationToken = default)");
                w.Line("    => _session.QueryAsync<" + entityType + ">(ListMineSql, null, cancellationToken);");
            }

            w.Line();
            w.Line("/// <summary>Lists one page of the visible rows, ordered by key: the first <paramref name=\"limit\"/> rows after <paramref name=\"after\"/>.</summary>");
            w.Line("/// <param name=\"limit\">The most rows to return; positive.</param>");
            w.Line("/// <param name=\"after\">The key of the last row of the previous page, or null for the first page.</param>");
            w.Line("/// <param name=\"cancellationToken\">Cancels the query.</param>");
            w.Line("/// <returns>The page; fewer than <paramref name=\"limit\"/> rows when it is the last.</returns>");
            w.Line("public global::System.Threading.Tasks.Task<global::System.Collections.Generic.IReadOnlyList<" + entityType + ">> ListPageAsync(int limit, " + afterType + "? after = null, " + Token + " cancellationToken = default)");
            w.Open();
            w.Line("if (limit <= 0)");
            w.Open();
            w.Line("throw new global::System.ArgumentOutOfRangeException(nameof(limit), limit, \"A page holds at least one row.\");");
            w.Close();
            w.Line();
            w.Line("return after is null");
            w.Line("    ? _session.QueryAsync<" + entityType + ">(PageSql, new { Limit = limit }, cancellationToken)");
            w.Line("    : _session.QueryAsync<" + entityType + ">(PageAfterSql, new { Limit = limit, " + afterArguments + " }, cancellationToken);");
            w.Close();

            w.Line();
            w.Line("/// <summary>Counts the rows the policies let the session's user see.</summary>");
            w.Line("/// <param name=\"cancellationToken\">Cancels the query.</param>");
            w.Line("/// <returns>The number of visible rows.</returns>");
            w.Line("public async global::System.Threading.Tasks.Task<long> CountAsync(" + Token + " cancellationToken = default)");
            w.Line("    => await _session.QuerySingleOrDefaultAsync<long>(CountSql, null, cancellationToken).ConfigureAwait(false);");

            foreach (KeyValuePair<ForeignKeyModel, ColumnModel> by in listBy)
            {
                string parameter = CSharpName(char.ToLowerInvariant(by.Value.PropertyName[0]) + by.Value.PropertyName.Substring(1));
                w.Line();
                w.Line("/// <summary>Lists the visible rows whose <c>" + Xml(by.Key.NavigationName!) + "</c> is the given one (<c>" + Xml(by.Value.PropertyName) + "</c> equals it), ordered by key.</summary>");
                w.Line("/// <param name=\"" + parameter.TrimStart('@') + "\">The referenced row's key.</param>");
                w.Line("/// <param name=\"cancellationToken\">Cancels the query.</param>");
                w.Line("/// <returns>The visible rows that reference it.</returns>");
                w.Line("public global::System.Threading.Tasks.Task<global::System.Collections.Generic.IReadOnlyList<" + entityType + ">> ListBy" + by.Key.NavigationName + "Async("
                    + by.Value.ClrTypeWithoutNullable + " " + parameter + ", " + Token + " cancellationToken = default)");
                w.Line("    => _session.QueryAsync<" + entityType + ">(ListBy" + by.Key.NavigationName + "Sql, new { Value = " + parameter + " }, cancellationToken);");
            }

            w.Line();
            w.Line("/// <summary>");
            w.Line("/// Updates the row with <paramref name=\"entity\"/>'s key to <paramref name=\"entity\"/>'s values and returns it as stored.");
            if (updated.Any(c => c.UsesServerDefault))
            {
                w.Line("/// Columns with a server default keep their stored value when the property holds its default value.");
            }

            if (entity.Columns.Any(c => c.IsWritable && !c.IsUpdatable))
            {
                w.Line("/// Immutable columns (" + Xml(string.Join(", ", entity.Columns.Where(c => c.IsWritable && !c.IsUpdatable).Select(c => c.PropertyName))) + ") are not written: they keep their stored value.");
            }

            w.Line("/// </summary>");
            w.Line("/// <param name=\"entity\">The key and the new values.</param>");
            w.Line("/// <param name=\"cancellationToken\">Cancels the statement.</param>");
            w.Line("/// <returns>The updated row, or null when no row with that key is visible and updatable.</returns>");
            w.Line("/// <exception cref=\"global::RlsSchema.Npgsql.RlsAuthorizationException\">A policy refused the new values.</exception>");
            w.Line("public global::System.Threading.Tasks.Task<" + entityType + "?> UpdateAsync(" + entityType + " entity, " + Token + " cancellationToken = default)");
            w.Open();
            WriteEntityNullCheck(w);
            w.Line("return _session.QuerySingleOrDefaultAsync<" + entityType + ">(UpdateSql, " + ParameterObject(keys.Concat(updated).ToList(), updating: true) + ", cancellationToken);");
            w.Close();

            w.Line();
            w.Line("/// <summary>Deletes the row with the given key, when the policies let the session's user see and delete it.</summary>");
            WriteKeyParameterDocs(w, keys);
            w.Line("/// <param name=\"cancellationToken\">Cancels the statement.</param>");
            w.Line("/// <returns>True when a row was deleted.</returns>");
            w.Line("public async global::System.Threading.Tasks.Task<bool> DeleteAsync(" + keyParameters + ", " + Token + " cancellationToken = default)");
            w.Open();
            w.Line("var deleted = await _session.QueryAsync<" + keyType + ">(DeleteSql, " + keyArguments + ", cancellationToken).ConfigureAwait(false);");
            w.Line("return deleted.Count > 0;");
            w.Close();

            w.Close();
            if (hasNamespace)
            {
                w.Close();
            }

            return w.ToString();
        }

        private static string ParameterName(ColumnModel key) =>
            CSharpName(char.ToLowerInvariant(key.PropertyName[0]) + key.PropertyName.Substring(1));

        private static void WriteKeyParameterDocs(IndentedWriter w, IReadOnlyList<ColumnModel> keys)
        {
            foreach (ColumnModel k in keys)
            {
                w.Line("/// <param name=\"" + ParameterName(k).TrimStart('@') + "\">" + (keys.Count == 1 ? "The key." : "The key's <c>" + Xml(k.PropertyName) + "</c>.") + "</param>");
            }
        }

        private static string ParameterObject(IReadOnlyList<ColumnModel> columns, bool updating)
        {
            if (columns.Count == 0)
            {
                return "null";
            }

            return "new { " + string.Join(", ", columns.Select(c => CSharpName(c.PropertyName) + " = " + ParameterValue(c, updating))) + " }";
        }

        private static string ParameterValue(ColumnModel column, bool updating)
        {
            string value = "entity." + CSharpName(column.PropertyName);
            if (!column.UsesServerDefault || column.IsKey && updating || column.IsNullable && column.IsValueType)
            {
                return value;
            }

            if (column.IsString)
            {
                return "(string.IsNullOrEmpty(" + value + ") ? null : " + value + ")";
            }

            if (column.IsValueType)
            {
                string type = column.ClrTypeWithoutNullable;
                return "(global::System.Collections.Generic.EqualityComparer<" + type + ">.Default.Equals(" + value + ", default(" + type + ")) ? (" + type + "?)null : " + value + ")";
            }

            return value;
        }

        // A numeric read into a BigInteger travels as text: Npgsql reads numeric as decimal, which holds 28 digits.
        private static string SelectExpression(ColumnModel column) =>
            column.ClrTypeWithoutNullable == "global::System.Numerics.BigInteger"
                ? "CAST(" + SqlSyntax.QuotedIdentifier(column.ColumnName) + " AS text)"
                : SqlSyntax.QuotedIdentifier(column.ColumnName);

        // Dapper sends an enum as its integer whatever handler is registered, so a column storing the enum by name turns
        // the integer into the name; an integer that is no member's is null, which the column's check or NOT NULL refuses.
        private static string Parameter(ColumnModel column) =>
            column.EnumByName is not { } members
                ? "@" + column.PropertyName
                : "(CASE @" + column.PropertyName + string.Concat(members.Select(m => " WHEN " + m.Value + " THEN " + SqlSyntax.Literal(m.Name))) + " END)";

        private static string CSharpName(string name) =>
            SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

        private static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);

        private static void WriteEntityNullCheck(IndentedWriter w)
        {
            w.Line("if (entity is null)");
            w.Open();
            w.Line("throw new global::System.ArgumentNullException(nameof(entity));");
            w.Close();
            w.Line();
        }

        private static string Escape(string text) => SymbolDisplay.FormatLiteral(text, quote: false);

        private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;").Replace("\r", " ").Replace("\n", " ").Replace("\u0085", " ").Replace("\u2028", " ").Replace("\u2029", " ");
    }
}
