namespace RlsSchema.Schema
{
    /// <summary>
    /// Creates or replaces an <c>auth</c> function, unless <c>pg_session_jwt</c> owns it, and lets the session roles
    /// execute it; the membership function is created as its owner's (SECURITY DEFINER), executable only by the roles whose policies call it.
    /// </summary>
    /// <param name="Function">The function.</param>
    /// <param name="Roles">The roles that may execute it.</param>
    internal sealed record CreateFunctionOperation(FunctionModel Function, ImmutableEquatableArray<string> Roles) : MigrationOperation
    {
        /// <summary>The session roles that must not execute it (the membership function's, where no policy of theirs calls it).</summary>
        public ImmutableEquatableArray<string> Withheld { get; init; } = ImmutableEquatableArray<string>.Empty;

        /// <summary>Whether the function stays as it is and only who may execute it changes.</summary>
        public bool PrivilegesOnly { get; init; }
    }

    /// <summary>Drops an <c>auth</c> function, unless <c>pg_session_jwt</c> owns it.</summary>
    /// <param name="Signature">The signature as <c>to_regprocedure</c> reads it.</param>
    internal sealed record DropFunctionOperation(string Signature) : MigrationOperation;
}
