using System;
using System.Collections.Generic;
using System.Linq;

namespace RlsSchema.Schema
{
    /// <summary>
    /// Matches the items of two lists by name: the same name, or (for an item that says so) the name it had before,
    /// when no item of the new list still has that name. What the differ does for tables, columns, policies, indexes
    /// and grants alike.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    internal sealed class ListDiff<T>
        where T : class
    {
        private ListDiff(IReadOnlyList<T> added, IReadOnlyList<T> removed, IReadOnlyList<(T Old, T New)> kept)
        {
            Added = added;
            Removed = removed;
            Kept = kept;
        }

        /// <summary>The items only the new list holds, in its order.</summary>
        public IReadOnlyList<T> Added { get; }

        /// <summary>The items only the old list holds, in its order.</summary>
        public IReadOnlyList<T> Removed { get; }

        /// <summary>The items both lists hold, in the new list's order.</summary>
        public IReadOnlyList<(T Old, T New)> Kept { get; }

        /// <summary>Matches two lists.</summary>
        /// <param name="old">The old items.</param>
        /// <param name="new">The new items.</param>
        /// <param name="key">An item's name.</param>
        /// <param name="renamedFrom">The name an item had before, or null; none when omitted.</param>
        /// <returns>The matched lists.</returns>
        public static ListDiff<T> Of(IEnumerable<T> old, IEnumerable<T> @new, Func<T, string> key, Func<T, string?>? renamedFrom = null)
        {
            var oldByKey = new Dictionary<string, T>(StringComparer.Ordinal);
            foreach (T item in old)
            {
                oldByKey[key(item)] = item;
            }

            var newItems = @new.ToList();
            var newKeys = new HashSet<string>(newItems.Select(key), StringComparer.Ordinal);
            var matched = new HashSet<string>(StringComparer.Ordinal);
            var added = new List<T>();
            var kept = new List<(T, T)>();
            foreach (T item in newItems)
            {
                T? was = null;
                if (oldByKey.TryGetValue(key(item), out T? same))
                {
                    was = same;
                }
                else if (renamedFrom?.Invoke(item) is { } from && oldByKey.TryGetValue(from, out T? renamed) && !newKeys.Contains(from) && !matched.Contains(from))
                {
                    was = renamed;
                }

                if (was is null)
                {
                    added.Add(item);
                    continue;
                }

                matched.Add(key(was));
                kept.Add((was, item));
            }

            return new ListDiff<T>(added, old.Where(o => !matched.Contains(key(o))).ToList(), kept);
        }
    }
}
