using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using RlsSchema.Npgsql;
using RlsSchema.Schema;

namespace RlsSchema.Testing;

/// <summary>
/// Who may do what: runs every persona x table x command on a real PostgreSQL, as the real roles, and records whether
/// each statement was <see cref="PolicyMatrixOutcome.Allowed"/>, <see cref="PolicyMatrixOutcome.Filtered"/> or
/// <see cref="PolicyMatrixOutcome.Refused"/>.
/// </summary>
/// <remarks>
/// <para>
/// Tables, keys and policies come from the model the generator compiles into the assembly (<see cref="FromAssembly"/>).
/// The caller seeds the database as the owner, then labels the rows (<see cref="Row"/>) and the candidate rows to insert
/// (<see cref="Candidate"/>). For each persona the matrix runs, each in its own session whose transaction is rolled back:
/// <c>SELECT</c> of each labelled row by its key, <c>INSERT</c> of each candidate, an <c>UPDATE</c> that sets the key of
/// each labelled row to itself, and <c>DELETE</c> of each labelled row. Nothing is changed.
/// </para>
/// <para>
/// The result renders as Markdown and JSON and is compared with a committed file by
/// <see cref="PolicyMatrixResult.Verify"/>, as Verify compares snapshots.
/// </para>
/// </remarks>
public sealed class PolicyMatrix
{
    private const string GeneratedModelType = "RlsSchema.Generated.RlsSchemaModel";
    private const string GeneratedModelField = "Sql";

    private readonly DatabaseModel _model;
    private readonly List<(string Name, string? Token)> _personas = [];
    private readonly List<MatrixRow> _rows = [];
    private readonly List<MatrixRow> _candidates = [];
    private HashSet<TableModel>? _only;

    private PolicyMatrix(DatabaseModel model) => _model = model;

    /// <summary>Starts a matrix over the model the generator compiled into <paramref name="assembly"/>.</summary>
    /// <param name="assembly">The assembly that holds the entities, e.g. <c>typeof(Todo).Assembly</c>.</param>
    /// <returns>The matrix, with no personas and no rows yet.</returns>
    /// <exception cref="ArgumentException">The assembly holds no generated model (it has no entities, or was built without the RlsSchema generator).</exception>
    /// <exception cref="FormatException">The model was written by an RlsSchema version whose format this one does not read.</exception>
    public static PolicyMatrix FromAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var field = assembly.GetType(GeneratedModelType, throwOnError: false)
            ?.GetField(GeneratedModelField, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static);
        if (field?.GetRawConstantValue() is not string json)
        {
            throw new ArgumentException(
                $"{assembly.GetName().Name} holds no {GeneratedModelType}: build it with the RlsSchema generator and at least one entity.",
                nameof(assembly));
        }

        return FromModel(json);
    }

    /// <summary>Starts a matrix over a model as the build writes it (<c>rls/model.json</c>).</summary>
    /// <param name="modelJson">The model's JSON.</param>
    /// <returns>The matrix, with no personas and no rows yet.</returns>
    /// <exception cref="FormatException">The text is not a model this version reads.</exception>
    public static PolicyMatrix FromModel(string modelJson)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelJson);
        return new PolicyMatrix(SnapshotJson.Read(modelJson));
    }

    /// <summary>Adds a signed-in persona: a row of every table.</summary>
    /// <param name="name">The name shown in the matrix, e.g. <c>alice (acme admin)</c>.</param>
    /// <param name="token">The persona's JWT, which the data source given to <see cref="RunAsync"/> validates.</param>
    /// <returns>This matrix.</returns>
    public PolicyMatrix Persona(string name, string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        return AddPersona(name, token);
    }

    /// <summary>Adds the visitor with no token, whose sessions run in the anonymous role.</summary>
    /// <param name="name">The name shown in the matrix.</param>
    /// <returns>This matrix.</returns>
    public PolicyMatrix AnonymousPersona(string name = "anonymous") => AddPersona(name, null);

    /// <summary>Labels a seeded row: each persona selects, updates and deletes it by its primary key.</summary>
    /// <param name="table">The table, e.g. <c>projects</c> (<c>schema.table</c> outside <c>public</c>).</param>
    /// <param name="label">The name shown in the matrix, e.g. <c>alice's todo</c>.</param>
    /// <param name="key">The row's primary key values, in the key's column order.</param>
    /// <returns>This matrix.</returns>
    /// <exception cref="ArgumentException">The table is not in the model, the label is taken, or the key has the wrong number of values.</exception>
    public PolicyMatrix Row(string table, string label, params object[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var model = Table(table);
        if (key.Length != model.PrimaryKey.Count)
        {
            throw new ArgumentException(
                $"{model.Name}'s primary key is ({string.Join(", ", model.PrimaryKey)}): give {model.PrimaryKey.Count} value(s), not {key.Length}.",
                nameof(key));
        }

        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (int i = 0; i < key.Length; i++)
        {
            values.Add(model.PrimaryKey[i], key[i]);
        }

        _rows.Add(new MatrixRow(model, Label(_rows, model, label), values));
        return this;
    }

    /// <summary>Adds a row each persona tries to insert, such as one naming another user or tenant.</summary>
    /// <param name="table">The table.</param>
    /// <param name="label">The name shown in the matrix, e.g. <c>bob's todo</c>.</param>
    /// <param name="values">The columns to set: an object whose properties are named as the columns (<c>new { user_id = bob, task = "x" }</c>), or a dictionary.</param>
    /// <returns>This matrix.</returns>
    /// <exception cref="ArgumentException">The table is not in the model, the label is taken, or a column is not the table's.</exception>
    public PolicyMatrix Candidate(string table, string label, object values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var model = Table(table);
        var columns = values as IEnumerable<KeyValuePair<string, object?>>
            ?? values.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Select(p => new KeyValuePair<string, object?>(p.Name, p.GetValue(values)));
        var set = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (column, value) in columns)
        {
            if (!model.Columns.Any(c => c.Name == column))
            {
                throw new ArgumentException(
                    $"{model.Name} has no column {column}; its columns are {string.Join(", ", model.Columns.Select(c => c.Name))}.",
                    nameof(values));
            }

            set.Add(column, value);
        }

        if (set.Count == 0)
        {
            throw new ArgumentException("A candidate sets at least one column.", nameof(values));
        }

        _candidates.Add(new MatrixRow(model, Label(_candidates, model, label), set));
        return this;
    }

    /// <summary>Limits the matrix to these tables; by default it covers every table of the model.</summary>
    /// <param name="tables">The tables.</param>
    /// <returns>This matrix.</returns>
    public PolicyMatrix OnlyTables(params string[] tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _only = tables.Select(Table).ToHashSet();
        return this;
    }

    /// <summary>Runs every cell, each in a session whose transaction is rolled back.</summary>
    /// <param name="dataSource">The data source whose sessions run the statements; it validates the personas' tokens.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The cells and the untested commands.</returns>
    /// <exception cref="InvalidOperationException">There is no persona, or a statement failed other than by a refusal (a labelled row or a candidate does not fit the schema).</exception>
    public Task<PolicyMatrixResult> RunAsync(RlsDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        if (_personas.Count == 0)
        {
            throw new InvalidOperationException("The matrix has no persona: add one with Persona or AnonymousPersona.");
        }

        var tables = _model.Tables.Where(t => _only is null || _only.Contains(t)).ToList();
        return new PolicyMatrixRun(dataSource, _personas, _rows, _candidates).RunAsync(tables, cancellationToken);
    }

    private PolicyMatrix AddPersona(string name, string? token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (_personas.Any(p => p.Name == name))
        {
            throw new ArgumentException($"There is already a persona named {name}.", nameof(name));
        }

        _personas.Add((name, token));
        return this;
    }

    private TableModel Table(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return _model.Tables.FirstOrDefault(t => t.Key == name || (t.Schema == "public" && t.Name == name))
            ?? throw new ArgumentException(
                $"The model has no table {name}; its tables are {string.Join(", ", _model.Tables.Select(MatrixRow.NameOf))}.",
                nameof(name));
    }

    private static string Label(List<MatrixRow> rows, TableModel table, string label)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        if (rows.Any(r => r.Table == table && r.Label == label))
        {
            throw new ArgumentException($"{MatrixRow.NameOf(table)} already has a row labelled {label}.", nameof(label));
        }

        return label;
    }
}

/// <summary>A labelled row of a table: a seeded row's key, or a candidate's columns.</summary>
internal sealed record MatrixRow(TableModel Table, string Label, Dictionary<string, object?> Values)
{
    /// <summary>The table's name as the matrix shows it: bare in <c>public</c>, else qualified.</summary>
    public static string NameOf(TableModel table) => table.Schema == "public" ? table.Name : table.Key;
}
