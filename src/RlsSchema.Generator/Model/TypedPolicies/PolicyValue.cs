namespace RlsSchema.Generator.Model.TypedPolicies
{
    /// <summary>A value in a typed policy: a column of the current row, a constant, or something about the signed-in user.</summary>
    internal abstract record PolicyValue
    {
        /// <summary>Whether the value may be null at run time (a nullable column, a claim, a null constant).</summary>
        public abstract bool MayBeNull { get; }
    }

    /// <summary>A column of the current row.</summary>
    /// <param name="PropertyName">The C# property.</param>
    /// <param name="Nullable">Whether the column accepts null.</param>
    internal sealed record ColumnValue(string PropertyName, bool Nullable) : PolicyValue
    {
        /// <inheritdoc/>
        public override bool MayBeNull => Nullable;
    }

    /// <summary>A constant.</summary>
    /// <param name="Kind">What the constant is.</param>
    /// <param name="Text">The value in invariant culture: the string's text, the number's digits, <c>true</c>/<c>false</c>; empty for null.</param>
    internal sealed record ConstantValue(ConstantKind Kind, string Text) : PolicyValue
    {
        /// <inheritdoc/>
        public override bool MayBeNull => Kind == ConstantKind.Null;
    }

    /// <summary>Something about the signed-in user, from the token's claims.</summary>
    /// <param name="Kind">Which value.</param>
    /// <param name="ClaimName">The claim's name for <see cref="AuthValueKind.Claim"/>; otherwise null.</param>
    internal sealed record AuthValue(AuthValueKind Kind, string? ClaimName) : PolicyValue
    {
        /// <inheritdoc/>
        public override bool MayBeNull => Kind != AuthValueKind.UserId;
    }

    /// <summary>What a constant is.</summary>
    internal enum ConstantKind
    {
        /// <summary><c>null</c>.</summary>
        Null,

        /// <summary>A string.</summary>
        String,

        /// <summary>A number (integers, enum values, decimals).</summary>
        Number,

        /// <summary><c>true</c> or <c>false</c>.</summary>
        Boolean,
    }

    /// <summary>A value about the signed-in user.</summary>
    internal enum AuthValueKind
    {
        /// <summary><c>Auth.UserId</c>: the subject as text.</summary>
        UserId,

        /// <summary><c>Auth.Uid</c>: the subject as a uuid.</summary>
        Uid,

        /// <summary><c>Auth.Claim(name)</c>: a top-level claim as text.</summary>
        Claim,
    }
}
