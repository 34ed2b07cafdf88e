using System.Text.Json;
using Sdk.Emulator.Data;
using Sdk.Emulator.Schema;

namespace Sdk.Emulator.Query;

/// <summary>One returned record: its type and url (null for aggregate rows' url) and its cells in SELECT order.</summary>
internal sealed class OutRecord(string type, string? id)
{
    public string Type { get; } = type;

    public string? Id { get; } = id;

    public List<Cell> Cells { get; } = [];

    public Cell? Find(string name)
    {
        foreach (var cell in Cells)
        {
            if (cell.Name == name)
            {
                return cell;
            }
        }

        return null;
    }

    public void Set(string name, object? value, FieldSchema? field = null)
    {
        var existing = Find(name);
        if (existing is null)
        {
            Cells.Add(new Cell(name, value, field));
        }
        else if (existing.Value is null && value is not null)
        {
            existing.Value = value;
        }
    }
}

/// <summary>A named value of a returned record: a field value, a parent <see cref="OutRecord"/>, or child <see cref="OutChildren"/>.</summary>
internal sealed class Cell(string name, object? value, FieldSchema? field)
{
    public string Name { get; } = name;

    public object? Value { get; set; } = value;

    public FieldSchema? Field { get; } = field;
}

/// <summary>The records of a child subquery (a query result nested in its parent).</summary>
internal sealed class OutChildren(List<OutRecord> records)
{
    public List<OutRecord> Records { get; } = records;
}

/// <summary>Writes returned records as Salesforce does.</summary>
internal static class QueryOutputWriter
{
    public static void WriteRecord(Utf8JsonWriter writer, OutRecord record, string version)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("attributes"u8);
        writer.WriteStartObject();
        writer.WriteString("type"u8, record.Type);
        if (record.Id is not null)
        {
            writer.WriteString("url"u8, $"/services/data/v{version}/sobjects/{record.Type}/{record.Id}");
        }

        writer.WriteEndObject();
        foreach (var cell in record.Cells)
        {
            writer.WritePropertyName(cell.Name);
            switch (cell.Value)
            {
                case OutRecord parent:
                    WriteRecord(writer, parent, version);
                    break;
                case OutChildren children:
                    writer.WriteStartObject();
                    writer.WriteNumber("totalSize"u8, children.Records.Count);
                    writer.WriteBoolean("done"u8, true);
                    writer.WritePropertyName("records"u8);
                    writer.WriteStartArray();
                    foreach (var child in children.Records)
                    {
                        WriteRecord(writer, child, version);
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                    break;
                case Dictionary<string, object?> compound:
                    writer.WriteStartObject();
                    foreach (var (key, value) in compound.OrderBy(p => p.Key, StringComparer.Ordinal))
                    {
                        writer.WritePropertyName(key);
                        WireFormat.WriteValue(writer, null, value);
                    }

                    writer.WriteEndObject();
                    break;
                default:
                    WireFormat.WriteValue(writer, cell.Field, cell.Value);
                    break;
            }
        }

        writer.WriteEndObject();
    }
}
