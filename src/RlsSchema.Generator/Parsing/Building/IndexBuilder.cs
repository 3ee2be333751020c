using System.Collections.Generic;
using System.Linq;
using RlsSchema.Generator.Diagnostics;
using RlsSchema.Generator.Model;
using RlsSchema.Generator.Parsing.Checks;
using RlsSchema.Generator.Parsing.Configuration;

namespace RlsSchema.Generator.Parsing.Building
{
    /// <summary>
    /// Collects the table's indexes: one per owner column first, then each <c>[Index]</c> (RlsSchema's or EF Core's). One index per column list:
    /// an <c>[Index]</c> on the same columns as an owner index replaces it (it may add a name or uniqueness).
    /// </summary>
    internal sealed class IndexBuilder
    {
        private readonly ParseContext _context;
        private readonly string _tableName;
        private readonly List<IndexModel> _indexes = new List<IndexModel>();

        public IndexBuilder(ParseContext context, string tableName)
        {
            _context = context;
            _tableName = tableName;
        }

        /// <summary>The indexes, in the order added.</summary>
        public ImmutableEquatableArray<IndexModel> Indexes => _indexes.ToImmutableEquatableArray();

        /// <summary>Indexes an owner column, unless an index on it exists.</summary>
        public void AddOwner(OwnerModel owner) =>
            Add(new IndexModel(DefaultName(owner.ColumnName), new[] { owner.ColumnName }.ToImmutableEquatableArray(), false), replace: false);

        /// <summary>Adds an <c>[Index]</c> on a property: it indexes that column and names no properties.</summary>
        public void AddForProperty(IndexConfiguration index, MappedColumn property)
        {
            if (index.Properties.Count > 0)
            {
                _context.Report(DiagnosticDescriptors.InvalidAttributeUsage, index.Location, "[Index] on property '" + property.Symbol.Name + "'", _context.Name, "on a property [Index] takes no property names; put it on the class to index several columns");
                return;
            }

            string column = property.Column.ColumnName;
            Add(new IndexModel(Name(index) ?? DefaultName(column), new[] { column }.ToImmutableEquatableArray(), Unique: index.Unique), replace: true);
        }

        /// <summary>Adds an <c>[Index]</c> on the class: it indexes the named properties' columns, in order.</summary>
        public void AddForClass(IndexConfiguration index, IReadOnlyList<MappedColumn> properties)
        {
            if (index.Properties.Count == 0)
            {
                _context.Report(DiagnosticDescriptors.InvalidAttributeUsage, index.Location, "[Index] on class", _context.Name, "name the properties to index, e.g. [Index(nameof(A), nameof(B))]");
                return;
            }

            var columns = new List<string>();
            for (int i = 0; i < index.Properties.Count; i++)
            {
                MappedColumn? property = Find(properties, index.Properties[i]);
                if (property is null)
                {
                    _context.Report(DiagnosticDescriptors.IndexPropertyNotFound, index.PropertyLocations[i], _context.Name, index.Properties[i] ?? "null");
                    return;
                }

                columns.Add(property.Column.ColumnName);
            }

            string defaultName = index.IsEfCore ? EfCoreName(columns) : DefaultName(string.Join("_", columns));
            Add(new IndexModel(Name(index) ?? defaultName, columns.ToImmutableEquatableArray(), index.Unique), replace: true);
        }

        /// <summary>
        /// Indexes a column that joins or filters by itself (a foreign key, a tenant column) unless an index already leads
        /// with it: an unindexed foreign key makes each delete of a referenced row scan this table.
        /// </summary>
        public void AddLeading(string column)
        {
            if (!_indexes.Exists(i => i.Columns.Count > 0 && i.Columns[0] == column))
            {
                Add(new IndexModel(DefaultName(column), new[] { column }.ToImmutableEquatableArray(), false), replace: false);
            }
        }

        /// <summary>
        /// Indexes a composite foreign key's columns, in order, unless an index or the primary key (<paramref name="key"/>)
        /// already leads with all of them: EF Core's rule for a foreign key of several columns.
        /// </summary>
        public void AddLeading(IReadOnlyList<string> columns, IReadOnlyList<string> key)
        {
            bool Leads(IReadOnlyList<string> indexed) => indexed.Count >= columns.Count && columns.All(c => indexed.Take(columns.Count).Contains(c));
            if (!Leads(key) && !_indexes.Exists(i => Leads(i.Columns)))
            {
                Add(new IndexModel(DefaultName(string.Join("_", columns)), columns.ToImmutableEquatableArray(), false), replace: false);
            }
        }

        private string DefaultName(string columns) => _tableName + "_" + columns + "_idx";

        // EF Core names an index IX_<table>_<columns>, which its snake_case convention turns into ix_<table>_<columns>.
        private string EfCoreName(List<string> columns) => SqlNames.ToSnakeCase("IX_" + _tableName + "_" + string.Join("_", columns));

        // The explicit name, checked (an invalid one is reported and still used: the entity then has an error).
        private string? Name(IndexConfiguration index)
        {
            if (index.Name.Value is { } name)
            {
                SqlInputChecks.Name(_context, "index", name, index.Name.Location);
            }

            return index.Name.Value;
        }

        private static MappedColumn? Find(IReadOnlyList<MappedColumn> properties, string? name)
        {
            foreach (MappedColumn property in properties)
            {
                if (property.Symbol.Name == name)
                {
                    return property;
                }
            }

            return null;
        }

        private void Add(IndexModel index, bool replace)
        {
            int existing = _indexes.FindIndex(i => i.Columns.Equals(index.Columns));
            if (existing < 0)
            {
                _indexes.Add(index);
            }
            else if (replace)
            {
                _indexes[existing] = index;
            }
        }
    }
}
