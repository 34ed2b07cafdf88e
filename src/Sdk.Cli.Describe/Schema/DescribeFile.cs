using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sdk.Cli.Describe.Schema;

/// <summary>
/// The file form of a describe: stable key order, stable order of the arrays whose order Salesforce does not give a meaning
/// (fields, child relationships, record types), volatile keys dropped, two-space indentation, LF, a trailing newline. The
/// same org schema always gives the same bytes, and a schema change is a readable diff. Picklist values keep Salesforce's
/// order: it is their display order, and dependent picklists' <c>validFor</c> bitmaps index into it.
/// </summary>
public static class DescribeFile
{
    /// <summary>Top-level keys dropped: the REST URLs (the local org and the generator do not need them; the org rewrites its own).</summary>
    private static readonly HashSet<string> DroppedKeys = new(StringComparer.Ordinal) { "urls" };

    /// <summary>Arrays sorted, with the keys that order their elements.</summary>
    private static readonly Dictionary<string, string[]> SortedArrays = new(StringComparer.Ordinal)
    {
        ["fields"] = ["name"],
        ["childRelationships"] = ["childSObject", "field", "relationshipName"],
        ["recordTypeInfos"] = ["developerName", "name"],
        ["namedLayoutInfos"] = ["name"],
        ["actionOverrides"] = ["name", "formFactor"],
        ["supportedScopes"] = ["name"],
    };

    /// <summary>The writer settings of every file the tool writes: two-space indentation, LF, no needless escaping.</summary>
    internal static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The file bytes of a describe body.</summary>
    /// <exception cref="InvalidDataException">The body is not a describe (no <c>name</c> or no <c>fields</c>).</exception>
    public static byte[] Normalize(JsonObject describe)
    {
        ArgumentNullException.ThrowIfNull(describe);
        if (describe["name"] is not JsonValue || describe["fields"] is not JsonArray)
        {
            throw new InvalidDataException("The response is not an sObject describe: it has no 'name' or no 'fields'.");
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, describe, topLevel: true);
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Reads a describe file (or any describe body, including the sf CLI's <c>{"result": …}</c> wrapper).</summary>
    /// <exception cref="InvalidDataException">The file is not valid JSON or not a describe; the message names the file.</exception>
    public static JsonObject Read(string path)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({ex.Message}).", ex);
        }

        if (node is JsonObject { } wrapper && wrapper["fields"] is null && wrapper["result"] is JsonObject result)
        {
            node = result;
        }

        return node is JsonObject describe && describe["name"] is JsonValue && describe["fields"] is JsonArray
            ? describe
            : throw new InvalidDataException($"{path}: not an sObject describe (no 'name' or no 'fields').");
    }

    /// <summary>The file name of an object's describe.</summary>
    public static string FileName(string objectName) => objectName + ".json";

    private static void Write(Utf8JsonWriter writer, JsonNode? node, bool topLevel = false)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (topLevel && DroppedKeys.Contains(key))
                    {
                        continue;
                    }

                    writer.WritePropertyName(key);
                    if (value is JsonArray array && SortedArrays.TryGetValue(key, out var sortKeys))
                    {
                        writer.WriteStartArray();
                        foreach (var element in array.OrderBy(e => SortKey(e, sortKeys), StringComparer.Ordinal))
                        {
                            Write(writer, element);
                        }

                        writer.WriteEndArray();
                    }
                    else
                    {
                        Write(writer, value);
                    }
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var element in array)
                {
                    Write(writer, element);
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    private static string SortKey(JsonNode? element, string[] keys)
    {
        if (element is not JsonObject obj)
        {
            return element?.ToJsonString() ?? string.Empty;
        }

        var key = new StringBuilder();
        foreach (var name in keys)
        {
            key.Append(obj[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : string.Empty).Append('\u0001');
        }

        // Ties (rare) fall back to the element's whole text, so the order never depends on the server's.
        return key.Append(obj.ToJsonString()).ToString();
    }
}
