using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace RlsSchema.Schema
{
    /// <summary>
    /// The migrations folder's rules, written once for the generator (which embeds the files), the runtime (which reads
    /// them from disk) and the rlsschema tool (which writes them): file names, the snapshot's name, and the checksum
    /// that the history table keeps for each applied migration.
    /// </summary>
    internal static class MigrationFiles
    {
        /// <summary>The snapshot's file name.</summary>
        public const string SnapshotFileName = "rls-model.json";

        /// <summary>The first lines of an application migration as <c>rlsschema migrations add &lt;Name&gt; --sql</c> writes it.</summary>
        public const string ApplicationHeader =
            "-- Application SQL: functions, triggers, seed rows and views, written by hand and applied in order with the model's migrations.\n"
            + "-- RlsSchema neither generates nor reads it; the model's snapshot (rls-model.json) does not change with it.\n";

        private static readonly Regex FileName = new Regex("^([0-9]{4,9})_([A-Za-z_][A-Za-z0-9_]*)\\.sql$", RegexOptions.CultureInvariant);

        /// <summary>Reads a migration's number and name from its file name, <c>NNNN_Name.sql</c>.</summary>
        /// <param name="fileName">The file name, without a folder.</param>
        /// <param name="id">The number; 0 when the name does not follow the rule.</param>
        /// <param name="name">The name; empty when the name does not follow the rule.</param>
        /// <returns>Whether the file name follows the rule with a number above zero.</returns>
        public static bool TryParseFileName(string fileName, out long id, out string name)
        {
            Match match = FileName.Match(fileName);
            if (match.Success && long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0)
            {
                name = match.Groups[2].Value;
                return true;
            }

            id = 0;
            name = "";
            return false;
        }

        /// <summary>
        /// Whether a migration is the model's (the full script or a diff, each starting with the line the tool writes) rather
        /// than application SQL written by hand.
        /// </summary>
        /// <param name="sql">The migration's SQL.</param>
        /// <returns>True for a model migration.</returns>
        public static bool IsModelMigration(string sql)
        {
            string text = Normalize(sql);
            return text.StartsWith(ScriptWriter.HeaderLine + "\n", System.StringComparison.Ordinal)
                || text.StartsWith(MigrationPlan.HeaderLine + "\n", System.StringComparison.Ordinal);
        }

        /// <summary>The file name of a migration: its number in four digits, an underscore, its name, <c>.sql</c>.</summary>
        /// <param name="id">The number.</param>
        /// <param name="name">The name.</param>
        /// <returns>The file name.</returns>
        public static string FileNameOf(long id, string name) => id.ToString("D4", CultureInfo.InvariantCulture) + "_" + name + ".sql";

        /// <summary>A migration file's text without a byte order mark and with <c>\n</c> line ends, so that its checksum does not depend on the checkout.</summary>
        /// <param name="text">The file's text.</param>
        /// <returns>The normalised text.</returns>
        public static string Normalize(string text) =>
            (text.Length > 0 && text[0] == '\uFEFF' ? text.Substring(1) : text).Replace("\r\n", "\n");

        /// <summary>The checksum of a migration's SQL: the lower-case hex SHA-256 of its UTF-8 bytes.</summary>
        /// <param name="sql">The SQL, with <c>\n</c> line ends.</param>
        /// <returns>The checksum.</returns>
        public static string Checksum(string sql)
        {
            using (SHA256 sha = SHA256.Create())
            {
                byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(sql));
                var b = new StringBuilder(hash.Length * 2);
                foreach (byte x in hash)
                {
                    b.Append(x.ToString("x2", CultureInfo.InvariantCulture));
                }

                return b.ToString();
            }
        }
    }
}
