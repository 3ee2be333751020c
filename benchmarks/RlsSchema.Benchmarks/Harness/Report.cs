using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace RlsSchema.Benchmarks.Harness;

/// <summary>Collects every figure, works out each one's ratio to its baseline, prints the table and writes the JSON.</summary>
internal sealed class Report
{
    private readonly List<ResultRow> _rows = new();
    private readonly List<(string Target, bool? Met, string Why)> _verdicts = new();
    private readonly Dictionary<int, string> _titles = new();

    public void Title(int scenario, string title) => _titles[scenario] = title;

    public void Add(ResultRow row) => _rows.Add(row);

    /// <summary>Records whether a target was met (null: could not be judged), with the figures that decide it.</summary>
    public void Verdict(string target, bool? met, string why) => _verdicts.Add((target, met, why));

    /// <summary>The value of a row by scenario and name, or null when that row was not measured.</summary>
    public double? Value(int scenario, string name) =>
        _rows.FirstOrDefault(r => r.Scenario == scenario && r.Name == name)?.Value;

    public IReadOnlyList<ResultRow> Rows => WithRatios();

    private List<ResultRow> WithRatios()
    {
        var result = new List<ResultRow>(_rows.Count);
        foreach (var row in _rows)
        {
            var baseline = row.Baseline is null ? null : _rows.FirstOrDefault(r => r.Scenario == row.Scenario && r.Name == row.Baseline);
            double? ratio = row.Baseline is null ? 1.0 : baseline is null || baseline.Value == 0 ? null : row.Value / baseline.Value;
            result.Add(row with { Ratio = ratio });
        }
        return result;
    }

    public string FormatTable()
    {
        var rows = WithRatios();
        var text = new StringBuilder();
        foreach (var group in rows.GroupBy(r => r.Scenario).OrderBy(g => g.Key))
        {
            var title = _titles.TryGetValue(group.Key, out var t) ? t : "";
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"### Scenario {group.Key}: {title}");
            text.AppendLine();
            text.AppendLine("| variant | result | ratio | baseline | notes |");
            text.AppendLine("|---|---:|---:|---|---|");
            foreach (var row in group)
            {
                var ratio = row.Ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) + "x" : "n/a";
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {row.Name} | {FormatValue(row)} | {ratio} | {row.Baseline ?? "(baseline)"} | {row.Detail ?? ""} |");
            }
        }
        if (_verdicts.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("### Targets");
            text.AppendLine();
            foreach (var (target, met, why) in _verdicts)
            {
                var word = met switch { true => "met", false => "NOT met", null => "not judged" };
                text.AppendLine(CultureInfo.InvariantCulture, $"- {target}: **{word}**. {why}");
            }
        }
        return text.ToString();
    }

    private static string FormatValue(ResultRow row) => row.Unit switch
    {
        Unit.OpsPerSecond => row.Value.ToString("N0", CultureInfo.InvariantCulture) + " ops/s",
        Unit.Milliseconds => row.Value.ToString(row.Value < 10 ? "0.000" : "0.0", CultureInfo.InvariantCulture) + " ms",
        Unit.RoundTrips => row.Value.ToString("0.##", CultureInfo.InvariantCulture) + " round trips",
        _ => row.Value.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Writes one JSON object per row: scenario, name, the figure under its unit's name, ratio, baseline.</summary>
    public void WriteJson(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartArray();
        foreach (var row in WithRatios())
        {
            json.WriteStartObject();
            json.WriteNumber("scenario", row.Scenario);
            json.WriteString("name", row.Name);
            var field = row.Unit switch
            {
                Unit.OpsPerSecond => "ops_per_sec",
                Unit.Milliseconds => "ms",
                _ => "round_trips",
            };
            json.WriteNumber(field, Math.Round(row.Value, 4));
            if (row.Ratio is { } ratio)
            {
                json.WriteNumber("ratio", Math.Round(ratio, 4));
            }
            else
            {
                json.WriteNull("ratio");
            }
            json.WriteString("baseline", row.Baseline ?? row.Name);
            if (row.Detail is not null)
            {
                json.WriteString("detail", row.Detail);
            }
            if (row.Extra is not null)
            {
                foreach (var (key, value) in row.Extra)
                {
                    json.WritePropertyName(key);
                    JsonSerializer.Serialize(json, value, value.GetType());
                }
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
