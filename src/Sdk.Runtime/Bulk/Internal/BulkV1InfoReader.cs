using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Bulk.Internal;

/// <summary>A job or batch info read from XML or JSON, by element name.</summary>
internal sealed class BulkV1Info
{
    private readonly Func<string, string?> _text;

    private BulkV1Info(Func<string, string?> text) => _text = text;

    public string? Text(string name) => _text(name);

    public long Number(string name) => long.TryParse(Text(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

    public DateTimeOffset? Date(string name) => SalesforceFormats.TryParseDateTime(Text(name), out var d) ? d : null;

    public static BulkV1Info FromXml(XElement element)
    {
        var ns = element.Name.Namespace;
        return new BulkV1Info(name => element.Element(ns + name)?.Value);
    }

    public static BulkV1Info FromJson(JsonElement element)
        => new(name => element.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        } : null);
}
