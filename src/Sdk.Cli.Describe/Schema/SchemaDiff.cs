using System.Text.Json.Nodes;

namespace Sdk.Cli.Describe.Schema;

/// <summary>What kind of difference a <see cref="SchemaChange"/> is.</summary>
public enum SchemaChangeKind
{
    /// <summary>The object is in the org, not in the files.</summary>
    ObjectAdded,

    /// <summary>The object is in the files, not in the org (deleted, renamed, or no longer visible to the user).</summary>
    ObjectRemoved,

    /// <summary>A new field.</summary>
    FieldAdded,

    /// <summary>A field that is gone.</summary>
    FieldRemoved,

    /// <summary>A field's type, length, precision, scale or references changed.</summary>
    FieldChanged,

    /// <summary>A new picklist value.</summary>
    PicklistValueAdded,

    /// <summary>A picklist value that is gone.</summary>
    PicklistValueRemoved,

    /// <summary>Anything else in the describe (labels, flags, relationships): the file differs from the org.</summary>
    OtherChange,
}

/// <summary>One difference between the schema files and the org.</summary>
/// <param name="Object">The object's API name.</param>
/// <param name="Field">The field's API name, for field and picklist changes.</param>
/// <param name="Kind">What changed.</param>
/// <param name="Detail">A readable detail: old → new for a changed field, the value for picklist changes.</param>
public sealed record SchemaChange(string Object, string? Field, SchemaChangeKind Kind, string Detail);

/// <summary>Compares describes: files (before) with the org (after).</summary>
public static class SchemaDiff
{
    private static readonly string[] ComparedFieldKeys = ["type", "length", "precision", "scale", "referenceTo", "nillable", "externalId", "restrictedPicklist", "calculated"];

    /// <summary>The differences of one object, in a stable order.</summary>
    public static List<SchemaChange> Compare(string name, JsonObject? before, JsonObject? after)
    {
        var changes = new List<SchemaChange>();
        if (before is null && after is null)
        {
            return changes;
        }

        if (before is null)
        {
            changes.Add(new(name, null, SchemaChangeKind.ObjectAdded, $"{Fields(after!).Count} fields"));
            return changes;
        }

        if (after is null)
        {
            changes.Add(new(name, null, SchemaChangeKind.ObjectRemoved, $"{Fields(before).Count} fields"));
            return changes;
        }

        var old = Fields(before);
        var now = Fields(after);
        foreach (var field in now.Keys.Except(old.Keys).Order(StringComparer.Ordinal))
        {
            changes.Add(new(name, field, SchemaChangeKind.FieldAdded, Describe(now[field])));
        }

        foreach (var field in old.Keys.Except(now.Keys).Order(StringComparer.Ordinal))
        {
            changes.Add(new(name, field, SchemaChangeKind.FieldRemoved, Describe(old[field])));
        }

        foreach (var field in old.Keys.Intersect(now.Keys).Order(StringComparer.Ordinal))
        {
            var a = old[field];
            var b = now[field];
            var differences = ComparedFieldKeys
                .Where(k => !JsonNode.DeepEquals(a[k], b[k]))
                .Select(k => $"{k}: {Text(a[k])} → {Text(b[k])}")
                .ToList();
            if (differences.Count > 0)
            {
                changes.Add(new(name, field, SchemaChangeKind.FieldChanged, string.Join(", ", differences)));
            }

            var oldValues = Picklist(a);
            var newValues = Picklist(b);
            changes.AddRange(newValues.Except(oldValues).Select(v => new SchemaChange(name, field, SchemaChangeKind.PicklistValueAdded, v)));
            changes.AddRange(oldValues.Except(newValues).Select(v => new SchemaChange(name, field, SchemaChangeKind.PicklistValueRemoved, v)));
        }

        if (changes.Count == 0 && !DescribeFile.Normalize(before).AsSpan().SequenceEqual(DescribeFile.Normalize(after)))
        {
            changes.Add(new(name, null, SchemaChangeKind.OtherChange, "labels, flags or relationships differ"));
        }

        return changes;
    }

    private static Dictionary<string, JsonObject> Fields(JsonObject describe)
        => (describe["fields"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(f => f["name"] is JsonValue)
            .GroupBy(f => (string)f["name"]!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    private static List<string> Picklist(JsonObject field)
        => [.. (field["picklistValues"] as JsonArray ?? []).OfType<JsonObject>().Select(v => (string?)v["value"]).OfType<string>()];

    private static string Describe(JsonObject field)
    {
        var type = (string?)field["type"] ?? "?";
        var length = field["length"] is JsonValue l && l.TryGetValue<int>(out var n) && n > 0 ? $"({n})" : string.Empty;
        return type + length;
    }

    private static string Text(JsonNode? node) => node is null ? "null" : node.ToJsonString();
}
