namespace RlsSchema.Generator.Model
{
    /// <summary>How the signed-in user's id is compared with an owner column.</summary>
    internal enum UserIdType
    {
        /// <summary>The id as text (<c>auth.user_id()</c>).</summary>
        Text,

        /// <summary>The id as a uuid (<c>auth.uid()</c>).</summary>
        Uuid,
    }

    /// <summary>The column that holds the id of the user who owns a row.</summary>
    /// <param name="PropertyName">The C# property name.</param>
    /// <param name="ColumnName">The column name, unquoted.</param>
    /// <param name="IdType">How the user's id is compared with it.</param>
    internal sealed record OwnerModel(string PropertyName, string ColumnName, UserIdType IdType);
}
