using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace RlsSchema.Schema
{
    /// <summary>
    /// An immutable array compared by its elements, so that model records holding collections stay
    /// value-equal and the incremental pipeline can cache them.
    /// </summary>
    /// <typeparam name="T">The element type; itself value-equal.</typeparam>
    internal sealed class ImmutableEquatableArray<T> : IEquatable<ImmutableEquatableArray<T>>, IReadOnlyList<T>
        where T : IEquatable<T>
    {
        private readonly T[] _values;

        /// <summary>The empty array.</summary>
        public static ImmutableEquatableArray<T> Empty { get; } = new ImmutableEquatableArray<T>(Array.Empty<T>());

        /// <summary>Copies the given values.</summary>
        /// <param name="values">The elements, in order.</param>
        public ImmutableEquatableArray(IEnumerable<T> values) => _values = values.ToArray();

        /// <inheritdoc/>
        public T this[int index] => _values[index];

        /// <inheritdoc/>
        public int Count => _values.Length;

        /// <inheritdoc/>
        public bool Equals(ImmutableEquatableArray<T>? other)
        {
            if (other is null)
            {
                return false;
            }

            if (ReferenceEquals(this, other))
            {
                return true;
            }

            if (_values.Length != other._values.Length)
            {
                return false;
            }

            for (int i = 0; i < _values.Length; i++)
            {
                if (!EqualityComparer<T>.Default.Equals(_values[i], other._values[i]))
                {
                    return false;
                }
            }

            return true;
        }

        /// <inheritdoc/>
        public override bool Equals(object? obj) => obj is ImmutableEquatableArray<T> other && Equals(other);

        /// <inheritdoc/>
        public override int GetHashCode()
        {
            unchecked
            {
                int hash = 17;
                foreach (T value in _values)
                {
                    hash = (hash * 31) + (value is null ? 0 : value.GetHashCode());
                }

                return hash;
            }
        }

        /// <inheritdoc/>
        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_values).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => _values.GetEnumerator();
    }

    /// <summary>Creates <see cref="ImmutableEquatableArray{T}"/> values.</summary>
    internal static class ImmutableEquatableArray
    {
        /// <summary>Copies a sequence into a value-equal array.</summary>
        /// <typeparam name="T">The element type.</typeparam>
        /// <param name="values">The elements, in order.</param>
        /// <returns>The array.</returns>
        public static ImmutableEquatableArray<T> ToImmutableEquatableArray<T>(this IEnumerable<T> values)
            where T : IEquatable<T> => new ImmutableEquatableArray<T>(values);
    }
}
