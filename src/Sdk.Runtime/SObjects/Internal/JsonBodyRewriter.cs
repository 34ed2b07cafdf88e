using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Sdk.Runtime.SObjects.Internal;

/// <summary>
/// Copies a JSON object body while dropping top-level properties the endpoint refuses (<c>attributes</c>, <c>Id</c>, the
/// external id field of an upsert), checking on the way that an external id in the body matches the URL's.
/// </summary>
internal static class JsonBodyRewriter
{
    public static byte[] Rewrite(ReadOnlySpan<byte> json, string what, string? externalIdField = null, string? externalIdValue = null, bool dropId = true)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new ArgumentException($"The {what} body must serialize to a JSON object.");
        }

        var output = new ArrayBufferWriter<byte>(json.Length);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                var drop = name.Equals("attributes", StringComparison.OrdinalIgnoreCase)
                    || (dropId && name.Equals("Id", StringComparison.OrdinalIgnoreCase));
                if (externalIdField is not null && name.Equals(externalIdField, StringComparison.OrdinalIgnoreCase))
                {
                    var value = reader.TokenType switch
                    {
                        JsonTokenType.String => reader.GetString(),
                        JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                        JsonTokenType.Null => null,
                        _ => throw new ArgumentException($"The {what} body's external id field '{name}' must be a string or number."),
                    };
                    if (value is not null && !string.Equals(value, externalIdValue, StringComparison.Ordinal))
                    {
                        throw new ArgumentException(
                            $"The {what} body sets the external id field '{name}' to '{value}', but the upsert is for '{externalIdValue}'. Leave the field out of the body or make them equal.");
                    }

                    drop = true;
                }

                if (drop)
                {
                    reader.Skip();
                    continue;
                }

                // Copy the value's bytes as they are (no re-escaping).
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                writer.WritePropertyName(name);
                writer.WriteRawValue(json[start..(int)reader.BytesConsumed], skipInputValidation: true);
            }

            writer.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }
}
