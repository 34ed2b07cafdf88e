using System.Text.Json;

namespace Sdk.Emulator.Tests.Conformance;

/// <summary>
/// A structural comparison of two JSON documents: the same keys at every level, the same kinds of values (string, number,
/// boolean, object, array), the same nesting. Values are not compared. A null on either side is compatible with any kind
/// (a field that is null in one org and set in another). Every element of an array is compared with every element of the
/// other side's array, so a record list is checked record by record.
/// </summary>
public static class JsonShape
{
    /// <summary>The differences, each with its JSON path; empty when the shapes agree.</summary>
    /// <param name="expected">The reference (a captured Salesforce response).</param>
    /// <param name="actual">The local org's answer.</param>
    /// <param name="ignoreKeys">Object keys whose presence may differ (for example keys of a newer API version).</param>
    public static List<string> Compare(JsonElement expected, JsonElement actual, ISet<string>? ignoreKeys = null)
    {
        var differences = new List<string>();
        Walk("$", expected, actual, ignoreKeys ?? new HashSet<string>(), differences);
        return differences;
    }

    /// <summary>Fails with every difference listed when the shapes differ.</summary>
    public static void AssertSame(JsonElement expected, JsonElement actual, string what, ISet<string>? ignoreKeys = null)
    {
        var differences = Compare(expected, actual, ignoreKeys);
        Assert.True(differences.Count == 0, $"{what}: the local org's answer differs in shape:\n  " + string.Join("\n  ", differences.Take(40)));
    }

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static void Walk(string path, JsonElement expected, JsonElement actual, ISet<string> ignore, List<string> differences)
    {
        if (expected.ValueKind == JsonValueKind.Null || actual.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (Kind(expected.ValueKind) != Kind(actual.ValueKind))
        {
            differences.Add($"{path}: expected a {Kind(expected.ValueKind)}, got a {Kind(actual.ValueKind)}");
            return;
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var expectedKeys = expected.EnumerateObject().Select(p => p.Name).Where(k => !ignore.Contains(k)).ToHashSet(StringComparer.Ordinal);
                var actualKeys = actual.EnumerateObject().Select(p => p.Name).Where(k => !ignore.Contains(k)).ToHashSet(StringComparer.Ordinal);
                foreach (var missing in expectedKeys.Except(actualKeys).Order(StringComparer.Ordinal))
                {
                    differences.Add($"{path}.{missing}: missing");
                }

                foreach (var extra in actualKeys.Except(expectedKeys).Order(StringComparer.Ordinal))
                {
                    differences.Add($"{path}.{extra}: not in the reference");
                }

                foreach (var key in expectedKeys.Intersect(actualKeys))
                {
                    Walk($"{path}.{key}", expected.GetProperty(key), actual.GetProperty(key), ignore, differences);
                }

                break;
            case JsonValueKind.Array:
                // Arrays of records: each local element against the reference's first element of the same kind (the first
                // is enough: the reference's elements share a shape), so nothing is compared positionally.
                var reference = expected.EnumerateArray().FirstOrDefault(e => e.ValueKind != JsonValueKind.Null);
                if (reference.ValueKind == JsonValueKind.Undefined)
                {
                    return;
                }

                var index = 0;
                foreach (var element in actual.EnumerateArray())
                {
                    Walk($"{path}[{index++}]", reference, element, ignore, differences);
                }

                break;
        }
    }
}
