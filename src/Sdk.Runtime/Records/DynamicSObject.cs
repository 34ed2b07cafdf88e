using System.Text.Json;

namespace Sdk.Runtime.Records;

/// <summary>
/// A record of a type that was not generated (for example the target of a polymorphic lookup such as <c>Task.What</c> when
/// that object's describe was not pulled). Its fields are kept as JSON.
/// </summary>
public sealed class DynamicSObject : SObject
{
    private readonly Dictionary<string, JsonElement> _fields = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changed = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _type;

    /// <summary>Creates an empty record of the given type.</summary>
    /// <param name="sObjectType">The object's API name.</param>
    public DynamicSObject(string sObjectType)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sObjectType);
        _type = sObjectType;
    }

    /// <inheritdoc/>
    public override string SObjectType => _type;

    /// <summary>The fields, as JSON.</summary>
    public IReadOnlyDictionary<string, JsonElement> Fields => _fields;

    /// <summary>A field's value, or null when absent.</summary>
    public JsonElement? this[string apiName] => _fields.TryGetValue(apiName, out var v) ? v : null;

    /// <summary>Sets a field (marked changed).</summary>
    public void Set(string apiName, JsonElement value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiName);
        _fields[apiName] = value;
        _changed.Add(apiName);
    }

    /// <inheritdoc/>
    public override SObjectMetadata GetMetadata() => new() { ApiName = _type, TypeName = nameof(DynamicSObject) };

    /// <inheritdoc/>
    public override bool HasChanges => _changed.Count > 0;

    /// <inheritdoc/>
    public override IReadOnlyList<string> ChangedFields => [.. _changed];

    /// <inheritdoc/>
    public override bool IsChanged(string apiName) => _changed.Contains(apiName);

    /// <inheritdoc/>
    public override bool IsSet(string apiName) => _fields.ContainsKey(apiName);

    /// <inheritdoc/>
    public override void AcceptChanges() => _changed.Clear();

    /// <inheritdoc/>
    public override void MarkAllSetFieldsChanged() => _changed.UnionWith(_fields.Keys);

    /// <inheritdoc/>
    public override object? GetFieldValue(string apiName) => this[apiName];

    /// <inheritdoc/>
    protected override IReadOnlyList<string> TrackedMembers => [];

    /// <inheritdoc/>
    public override void WriteChanges(Utf8JsonWriter writer, SObjectWriteMode mode, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        foreach (var name in _changed)
        {
            if (_fields.TryGetValue(name, out var value))
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    /// <inheritdoc/>
    public override void WriteJson(Utf8JsonWriter writer, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        SObjectJson.WriteAttributes(writer, _type, Attributes);
        if (Id is { } id)
        {
            writer.WriteString("Id"u8, id.Value);
        }

        foreach (var (name, value) in _fields)
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads a record, naming it by its <c>attributes.type</c> (or <paramref name="sObjectType"/>).</summary>
    public static DynamicSObject ReadJson(ref Utf8JsonReader reader, string? sObjectType = null)
    {
        SObjectJson.ExpectRecord(ref reader, sObjectType ?? "record");
        var record = new DynamicSObject(sObjectType ?? SObjectJson.PeekType(reader) ?? "SObject");
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return record;
            }

            var name = reader.GetString()!;
            reader.Read();
            if (name == "attributes")
            {
                SObjectJson.ReadAttributesInto(record, ref reader);
            }
            else if (name == "Id" && reader.TokenType == JsonTokenType.String)
            {
                record.Id = SObjectJson.ReadId(ref reader);
            }
            else
            {
                record._fields[name] = JsonElement.ParseValue(ref reader);
            }
        }

        throw SObjectJson.Truncated(record._type);
    }
}
