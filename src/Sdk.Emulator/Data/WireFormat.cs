using System.Globalization;
using System.Text.Json;
using Sdk.Emulator.Schema;

namespace Sdk.Emulator.Data;

/// <summary>How Salesforce writes values on the wire: datetimes <c>2024-01-02T03:04:05.000+0000</c>, dates, times, numbers.</summary>
internal static class WireFormat
{
    public static string DateTime(DateTimeOffset value)
        => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);

    public static string Date(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Time(TimeOnly value) => value.ToString("HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Writes a stored value as JSON the way the field's type is written.</summary>
    public static void WriteValue(Utf8JsonWriter writer, FieldSchema? field, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s when field?.Type is "json" or "anyType" or "complexvalue":
                try
                {
                    using var doc = JsonDocument.Parse(s);
                    doc.RootElement.WriteTo(writer);
                }
                catch (JsonException)
                {
                    writer.WriteStringValue(s);
                }

                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case decimal d:
                if (field?.Type == "int" || (field?.Type is null && d == decimal.Truncate(d) && d.Scale == 0))
                {
                    writer.WriteNumberValue(decimal.Truncate(d));
                }
                else
                {
                    writer.WriteNumberValue(d);
                }

                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case double dbl:
                writer.WriteNumberValue(dbl);
                break;
            case DateTimeOffset dto:
                writer.WriteStringValue(DateTime(dto));
                break;
            case DateOnly date:
                writer.WriteStringValue(Date(date));
                break;
            case TimeOnly time:
                writer.WriteStringValue(Time(time));
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>The compound value of an address or location field (null when every component is null).</summary>
    public static Dictionary<string, object?>? Compound(StoredRecord record, FieldSchema compound)
    {
        var parts = new Dictionary<string, object?>(StringComparer.Ordinal);
        var any = false;
        foreach (var component in record.Schema.Fields)
        {
            if (!string.Equals(component.CompoundFieldName, compound.Name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var key = ComponentKey(compound, component);
            var value = record[component];
            parts[key] = value;
            any |= value is not null;
        }

        return any ? parts : null;
    }

    private static string ComponentKey(FieldSchema compound, FieldSchema component)
    {
        var name = component.Name;
        if (name.EndsWith("__s", StringComparison.OrdinalIgnoreCase))
        {
            name = name[..^3];
            var underscore = name.LastIndexOf("__", StringComparison.Ordinal);
            name = underscore >= 0 ? name[(underscore + 2)..] : name;
        }
        else
        {
            var prefix = compound.Name.EndsWith("Address", StringComparison.OrdinalIgnoreCase) ? compound.Name[..^"Address".Length] : compound.Name;
            name = name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? name[prefix.Length..] : name;
        }

        return name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];
    }
}
