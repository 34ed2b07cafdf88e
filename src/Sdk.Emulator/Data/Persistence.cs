using System.Globalization;
using System.Text.Json;
using Sdk.Emulator.Schema;

namespace Sdk.Emulator.Data;

/// <summary>
/// Saves the records of an org to a JSON file and loads them back: ids, values, deletions, modification times, the id
/// sequence and auto-numbers. The file is written to a temporary name and moved into place, so a crash mid-write leaves the
/// previous file whole.
/// </summary>
internal static class Persistence
{
    private const int FormatVersion = 1;

    public static void Save(OrgStore store, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteNumber("format", FormatVersion);
            writer.WriteNumber("sequence", store.Sequence);
            writer.WriteString("userId", store.UserId);
            writer.WriteStartObject("autoNumbers");
            foreach (var (name, last) in store.AutoNumbers)
            {
                writer.WriteNumber(name, last);
            }

            writer.WriteEndObject();
            writer.WriteStartObject("objects");
            foreach (var table in store.Tables.Where(t => t.Rows.Count > 0))
            {
                writer.WriteStartArray(table.Schema.Name);
                foreach (var record in table.Rows)
                {
                    writer.WriteStartObject();
                    writer.WriteString("id", record.Id);
                    writer.WriteBoolean("deleted", record.IsDeleted);
                    if (record.DeletedAt is { } deletedAt)
                    {
                        writer.WriteString("deletedAt", WireFormat.DateTime(deletedAt));
                    }

                    writer.WriteString("modified", WireFormat.DateTime(record.Modified));
                    writer.WriteStartObject("fields");
                    foreach (var field in table.Schema.Fields)
                    {
                        if (record[field] is { } value && !field.IsCompound)
                        {
                            writer.WritePropertyName(field.Name);
                            WireFormat.WriteValue(writer, field, value is string json && field.Type is "json" or "anyType" or "complexvalue" ? json : value);
                        }
                    }

                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Loads a saved file into an empty store; objects the schema no longer has are skipped.</summary>
    public static void Load(OrgStore store, string path)
    {
        using var stream = File.OpenRead(path);
        using var doc = JsonDocument.Parse(stream);
        var root = doc.RootElement;
        if (root.TryGetProperty("format", out var format) && format.GetInt32() != FormatVersion)
        {
            throw new InvalidDataException($"{path}: data format {format.GetInt32()} is not supported (expected {FormatVersion}).");
        }

        store.Sequence = root.GetProperty("sequence").GetInt64();
        if (root.TryGetProperty("userId", out var user) && user.GetString() is { Length: > 0 } userId)
        {
            store.UserId = userId;
        }

        if (root.TryGetProperty("autoNumbers", out var autoNumbers))
        {
            foreach (var item in autoNumbers.EnumerateObject())
            {
                store.RestoreAutoNumber(item.Name, item.Value.GetInt64());
            }
        }

        foreach (var table in root.GetProperty("objects").EnumerateObject())
        {
            if (store.Schema.Find(table.Name) is not { } schema)
            {
                continue;
            }

            foreach (var item in table.Value.EnumerateArray())
            {
                var record = new StoredRecord(schema, item.GetProperty("id").GetString()!, new object?[schema.Fields.Count])
                {
                    IsDeleted = item.GetProperty("deleted").GetBoolean(),
                    DeletedAt = item.TryGetProperty("deletedAt", out var d) && RecordParser.TryDateTime(d.GetString()!, out var deletedAt) ? deletedAt : null,
                    Modified = RecordParser.TryDateTime(item.GetProperty("modified").GetString()!, out var modified) ? modified : default,
                };
                foreach (var property in item.GetProperty("fields").EnumerateObject())
                {
                    if (schema.Field(property.Name) is { } field)
                    {
                        record[field] = Read(field, property.Value);
                    }
                }

                store.Restore(record);
            }
        }
    }

    private static object? Read(FieldSchema field, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => value.GetDecimal(),
        JsonValueKind.String => field.Type switch
        {
            "date" => RecordParser.TryDate(value.GetString()!, out var date) ? date : null,
            "datetime" => RecordParser.TryDateTime(value.GetString()!, out var instant) ? instant : null,
            "time" => TimeOnly.TryParse(value.GetString()!.TrimEnd('Z'), CultureInfo.InvariantCulture, out var time) ? time : null,
            _ => value.GetString(),
        },
        _ => value.GetRawText(),
    };
}
