using System;
using System.Collections.Generic;
using System.Linq;

namespace RlsSchema.Security.Tests.ModelBased;

/// <summary>A todo as the model knows it.</summary>
public sealed record ModelRow(long Id, string UserId, string Task, bool IsComplete, DateTimeOffset InsertedAt);

/// <summary>
/// What the owner-policy says, in memory: every row has an owner; a user sees, changes and deletes exactly the
/// rows they own; nobody else, anonymous included, sees or changes them.
/// </summary>
public sealed class TodoModel
{
    private readonly SortedDictionary<long, ModelRow> _rows = [];
    private readonly List<long> _deleted = [];

    /// <summary>Every live row, by id.</summary>
    public IReadOnlyCollection<ModelRow> Rows => _rows.Values;

    /// <summary>The rows <paramref name="user"/> may see, ordered by id; none for anonymous (null).</summary>
    public IReadOnlyList<ModelRow> VisibleTo(string? user) =>
        user is null ? [] : _rows.Values.Where(r => r.UserId == user).ToList();

    /// <summary>The row with that id when <paramref name="user"/> may see and change it.</summary>
    public ModelRow? Owned(long id, string? user) =>
        user is not null && _rows.TryGetValue(id, out ModelRow? row) && row.UserId == user ? row : null;

    /// <summary>Whether an id was ever handed out.</summary>
    public bool Known(long id) => _rows.ContainsKey(id) || _deleted.Contains(id);

    /// <summary>Records an inserted or updated row.</summary>
    public void Put(ModelRow row) => _rows[row.Id] = row;

    /// <summary>Records a deletion.</summary>
    public void Delete(long id)
    {
        _rows.Remove(id);
        _deleted.Add(id);
    }

    /// <summary>The id a targeted step goes for, chosen among what exists now; a never-used id when the choice is empty.</summary>
    public long Target(Aim aim, int pick, string? actor)
    {
        List<long> candidates = aim switch
        {
            Aim.OthersRow => _rows.Values.Where(r => r.UserId != actor).Select(r => r.Id).ToList(),
            Aim.OwnRow => _rows.Values.Where(r => actor is not null && r.UserId == actor).Select(r => r.Id).ToList(),
            Aim.DeletedRow => _deleted,
            _ => [],
        };
        return candidates.Count > 0 ? candidates[pick % candidates.Count] : (pick % 2 == 0 ? 9_000_000_000_000L + pick : -1 - pick);
    }
}
