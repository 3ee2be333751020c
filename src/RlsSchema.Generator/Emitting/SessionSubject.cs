using System;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Emitting
{
    /// <summary>
    /// The session's subject (<c>IRlsSession.UserId</c>, the validated token's <c>sub</c>) as the generated repository passes
    /// it: a typed parameter in place of a call to <c>auth.user_id()</c> or <c>auth.uid()</c>, so the server runs the
    /// owner's own plan. The policies still decide: a parameter can only narrow what they let the session see or write.
    /// </summary>
    internal static class SessionSubject
    {
        /// <summary>The repository's helper that reads the subject as a uuid, written when <see cref="NeedsUuid"/>.</summary>
        public const string UuidHelper = "SessionUuid";

        /// <summary>
        /// The subject as a value of the owner column's type: the text itself, or a uuid when the subject is one and null
        /// otherwise, which is what <c>auth.uid()</c> returns.
        /// </summary>
        /// <param name="idType">How the owner column holds the user's id.</param>
        /// <returns>A C# expression over the repository's <c>_session</c>.</returns>
        public static string Value(UserIdType idType) =>
            idType == UserIdType.Uuid ? UuidHelper + "(_session.UserId)" : "_session.UserId";

        /// <summary>
        /// How a column whose default is the signed-in user's id holds it: an insert that leaves the property at its default
        /// sends the session's subject, which is the value the default would compute, instead of having the server call it.
        /// Null for any other column.
        /// </summary>
        /// <param name="column">The column.</param>
        /// <returns>The id's type, or null.</returns>
        public static UserIdType? DefaultsToSubject(ColumnModel column)
        {
            if (!column.UsesServerDefault || column.Default is not SqlColumnDefault sql)
            {
                return null;
            }

            string expression = sql.Sql.Replace(" ", "").Trim('(', ')');
            if (column.IsString && string.Equals(expression, "auth.user_id", StringComparison.OrdinalIgnoreCase))
            {
                return UserIdType.Text;
            }

            return column.ClrTypeWithoutNullable == "global::System.Guid" && string.Equals(expression, "auth.uid", StringComparison.OrdinalIgnoreCase)
                ? UserIdType.Uuid
                : null;
        }

        /// <summary>Whether the repository reads the subject as a uuid anywhere, and so needs <see cref="UuidHelper"/>.</summary>
        /// <param name="entity">The entity.</param>
        /// <returns>True when the owner is a uuid or an inserted column defaults to <c>auth.uid()</c>.</returns>
        public static bool NeedsUuid(EntityModel entity)
        {
            if (entity.Owner is { IdType: UserIdType.Uuid })
            {
                return true;
            }

            foreach (ColumnModel column in entity.Columns)
            {
                if (column.IsWritable && DefaultsToSubject(column) == UserIdType.Uuid)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Writes the helper that reads the subject as a uuid, as <c>auth.uid()</c> does.</summary>
        /// <param name="w">The writer, inside the repository class.</param>
        public static void WriteUuidHelper(IndentedWriter w)
        {
            w.Line();
            w.Line("// The session's subject as auth.uid() reads it: a uuid when it is one, else null.");
            w.Line("private static global::System.Guid? " + UuidHelper + "(string? subject) =>");
            w.Line("    global::System.Guid.TryParseExact(subject, \"D\", out global::System.Guid id) ? id : (global::System.Guid?)null;");
        }
    }
}
