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

    /// <summary>
    /// The current time, <c>now()</c> (the transaction's start), moved by constant intervals: <c>DateTimeOffset.UtcNow</c>,
    /// <c>DateTime.UtcNow</c>, <c>DateOnly.FromDateTime(...)</c> with <c>AddHours(-24)</c> or <c>- TimeSpan.FromDays(7)</c>.
    /// </summary>
    /// <param name="Kind">The type of the value.</param>
    /// <param name="Steps">The intervals added, in order.</param>
    internal sealed record NowValue(NowKind Kind, ImmutableEquatableArray<IntervalStep> Steps) : PolicyValue
    {
        /// <inheritdoc/>
        public override bool MayBeNull => false;
    }

    /// <summary>An interval added to the current time.</summary>
    /// <param name="Amount">The signed amount, in invariant culture.</param>
    /// <param name="Unit">The PostgreSQL unit: <c>hours</c>, <c>minutes</c>, <c>seconds</c>, <c>milliseconds</c>, <c>microseconds</c>, or <c>days</c> for calendar dates.</param>
    internal sealed record IntervalStep(string Amount, string Unit);

    /// <summary>A call of an application SQL function, from a method marked <c>[SqlFunction]</c> or <c>[DbFunction]</c>.</summary>
    /// <param name="Name">The function's name, each part as written (quoted where needed when written as SQL).</param>
    /// <param name="Arguments">The arguments.</param>
    internal sealed record FunctionValue(ImmutableEquatableArray<string> Name, ImmutableEquatableArray<PolicyValue> Arguments) : PolicyValue
    {
        /// <inheritdoc/>
        public override bool MayBeNull => true;
    }

    /// <summary>
    /// A column of the row a <see cref="CorrelatedReference"/> starts from, read inside the related row's condition:
    /// <c>m.UserId</c> in <c>m.UserId != m.Account.PrimaryOwnerUserId</c>.
    /// </summary>
    /// <param name="PropertyName">The C# property.</param>
    /// <param name="Nullable">Whether the column accepts null.</param>
    internal sealed record OuterColumnValue(string PropertyName, bool Nullable) : PolicyValue
    {
        /// <inheritdoc/>
        public override bool MayBeNull => Nullable;
    }

    /// <summary>The type of a <see cref="NowValue"/>.</summary>
    internal enum NowKind
    {
        /// <summary>A <c>timestamptz</c>: <c>DateTimeOffset.UtcNow</c>, <c>DateTime.UtcNow</c>.</summary>
        Timestamp,

        /// <summary>A <c>date</c>, the UTC calendar date: <c>DateOnly.FromDateTime(DateTime.UtcNow)</c>.</summary>
        Date,
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
