using System;

namespace RlsSchema
{
    /// <summary>
    /// One migration file of a project (<c>Migrations/NNNN_Name.sql</c>), as the generator embeds it in
    /// <c>RlsSchema.Generated.RlsMigrations.All</c>. The runtime applies migrations in <see cref="Id"/> order and
    /// records each in <c>rls_schema.migrations</c>.
    /// </summary>
    public sealed class RlsMigration
    {
        /// <summary>Creates a migration.</summary>
        /// <param name="id">The file's number, for example 1 for <c>0001_Initial.sql</c>; positive.</param>
        /// <param name="name">The file's name after the number, for example <c>Initial</c>.</param>
        /// <param name="sql">The SQL the file holds, with <c>\n</c> line ends.</param>
        /// <param name="checksum">The lower-case hex SHA-256 of <paramref name="sql"/> in UTF-8.</param>
        /// <exception cref="ArgumentException">An argument is empty or the id is not positive.</exception>
        public RlsMigration(long id, string name, string sql, string checksum)
        {
            if (id <= 0)
            {
                throw new ArgumentException("A migration id is the positive number its file name starts with.", nameof(id));
            }

            if (string.IsNullOrEmpty(name))
            {
                throw new ArgumentException("A migration needs a name.", nameof(name));
            }

            if (string.IsNullOrEmpty(checksum))
            {
                throw new ArgumentException("A migration needs a checksum.", nameof(checksum));
            }

            Id = id;
            Name = name;
            Sql = sql ?? throw new ArgumentNullException(nameof(sql));
            Checksum = checksum;
        }

        /// <summary>The file's number; migrations apply in this order.</summary>
        public long Id { get; }

        /// <summary>The file's name after the number.</summary>
        public string Name { get; }

        /// <summary>The SQL, with <c>\n</c> line ends.</summary>
        public string Sql { get; }

        /// <summary>The lower-case hex SHA-256 of <see cref="Sql"/> in UTF-8: a changed file is refused once applied.</summary>
        public string Checksum { get; }

        /// <inheritdoc/>
        public override string ToString() => Id.ToString("D4", System.Globalization.CultureInfo.InvariantCulture) + "_" + Name;
    }
}
