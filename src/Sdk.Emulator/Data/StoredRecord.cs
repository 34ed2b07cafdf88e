using Sdk.Emulator.Schema;

namespace Sdk.Emulator.Data;

/// <summary>
/// A record in the local org: its field values by field ordinal (strings, decimals, booleans, dates, datetimes, times;
/// ids as 18-character strings), and whether it is deleted.
/// </summary>
internal sealed class StoredRecord(ObjectSchema schema, string id, object?[] values)
{
    public ObjectSchema Schema { get; } = schema;

    public string Id { get; } = id;

    public object?[] Values { get; } = values;

    public bool IsDeleted { get; set; }

    public DateTimeOffset? DeletedAt { get; set; }

    /// <summary>When the record was last written (for getUpdated).</summary>
    public DateTimeOffset Modified { get; set; }

    public object? this[FieldSchema field]
    {
        get => Values[field.Ordinal];
        set => Values[field.Ordinal] = value;
    }

    public object? Get(string fieldName) => Schema.Field(fieldName) is { } f ? Values[f.Ordinal] : null;

    public override string ToString() => Schema.Name + " " + Id;
}
