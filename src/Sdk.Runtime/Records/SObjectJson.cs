using System.Buffers;
using System.Buffers.Text;
using System.ComponentModel;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Sdk.Runtime.Records;

/// <summary>
/// Reading and writing helpers used by generated record code. Readers are lenient where Salesforce is (numbers as strings,
/// booleans as strings) and strict where a wrong value would be silently misread (an id, a date).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SObjectJson
{
    /// <summary>The current property name, unescaped, as a new array (the rare path: escaped or split names).</summary>
    public static byte[] UnescapedName(ref Utf8JsonReader reader) => Encoding.UTF8.GetBytes(reader.GetString()!);

    /// <summary>Checks that a record starts here.</summary>
    public static void ExpectRecord(ref Utf8JsonReader reader, string sObjectType)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected a JSON object for a {sObjectType} record, found {reader.TokenType}.");
        }
    }

    /// <summary>Handles a property the record type does not declare: <c>attributes</c>, <c>Id</c>, or a field kept as is.</summary>
    public static void ReadUnknown(SObject record, scoped ReadOnlySpan<byte> name, ref Utf8JsonReader reader)
    {
        if (name.SequenceEqual("attributes"u8))
        {
            ReadAttributesInto(record, ref reader);
        }
        else if (name.SequenceEqual("Id"u8))
        {
            record.Id = ReadId(ref reader);
        }
        else
        {
            record.AddAdditionalField(Encoding.UTF8.GetString(name), JsonElement.ParseValue(ref reader));
        }
    }

    /// <summary>Wraps a value error with the record type and field that failed.</summary>
    public static JsonException FieldError(string sObjectType, scoped ReadOnlySpan<byte> name, Exception inner)
        => new($"{sObjectType}.{Encoding.UTF8.GetString(name)}: {inner.Message}", inner);

    /// <summary>Whether an exception is a value error that <see cref="FieldError"/> should wrap.</summary>
    public static bool IsValueError(Exception ex) => ex is FormatException or InvalidOperationException or OverflowException or JsonException;

    /// <summary>The error for a record cut off before its end.</summary>
    public static JsonException Truncated(string sObjectType) => new($"The {sObjectType} record ended before its closing brace.");

    /// <summary>Reads <c>attributes</c> into a record without allocating more than the URL (the type is the record's own name).</summary>
    internal static void ReadAttributesInto(SObject record, ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            record.Attributes = ReadAttributes(ref reader);
            return;
        }

        var own = record.SObjectType;
        string? type = null, url = null;
        var plain = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = reader.ValueTextEquals(own) ? own : reader.GetString();
            }
            else if (reader.ValueTextEquals("url"u8))
            {
                reader.Read();
                url = reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
            }
            else
            {
                plain = false;
                break;
            }
        }

        if (plain)
        {
            record.SetReadAttributes(type ?? own, url);
            return;
        }

        // Rare: more keys (referenceId): read the rest the general way.
        var referenceId = (string?)null;
        do
        {
            var isReference = reader.ValueTextEquals("referenceId"u8);
            reader.Read();
            if (isReference)
            {
                referenceId = reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName);

        record.Attributes = new SObjectAttributes(type ?? own, url) { ReferenceId = referenceId };
    }

    /// <summary>Reads <c>attributes</c>.</summary>
    public static SObjectAttributes? ReadAttributes(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartObject, "attributes");
        string? type = null, url = null, referenceId = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = reader.GetString();
            }
            else if (reader.ValueTextEquals("url"u8))
            {
                reader.Read();
                url = reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
            }
            else if (reader.ValueTextEquals("referenceId"u8))
            {
                reader.Read();
                referenceId = reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
            }
            else
            {
                reader.Read();
                SkipValue(ref reader);
            }
        }

        return new SObjectAttributes(type ?? string.Empty, url) { ReferenceId = referenceId };
    }

    /// <summary>Skips the current value (works on partial buffers whose value is complete).</summary>
    public static void SkipValue(ref Utf8JsonReader reader)
    {
        if (!reader.TrySkip())
        {
            throw new JsonException("The JSON value is incomplete.");
        }
    }

    /// <summary>Reads a string (numbers and booleans are kept as their text).</summary>
    public static string? ReadString(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        _ => throw new JsonException($"Expected text, found {reader.TokenType}."),
    };

    /// <summary>Reads a record id.</summary>
    public static SalesforceId? ReadId(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.String, "an id");
        Span<char> chars = stackalloc char[24];
        var span = reader.ValueSpan;
        if (!reader.HasValueSequence && !reader.ValueIsEscaped && span.Length <= 24)
        {
            for (var i = 0; i < span.Length; i++)
            {
                chars[i] = (char)span[i];
            }

            return SalesforceId.TryParse(chars[..span.Length], out var id, out var error) ? id : throw new JsonException(error);
        }

        var text = reader.GetString()!;
        return SalesforceId.TryParse(text.AsSpan(), out var parsed, out var message) ? parsed : throw new JsonException(message);
    }

    /// <summary>Reads a checkbox (also <c>"true"</c>/<c>"false"</c>).</summary>
    public static bool? ReadBoolean(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.Null => null,
        JsonTokenType.String when bool.TryParse(reader.GetString(), out var b) => b,
        _ => throw new JsonException($"Expected true or false, found {Describe(ref reader)}."),
    };

    /// <summary>Reads an integer (also an integral decimal such as <c>5.0</c>, or a numeric string).</summary>
    public static int? ReadInt32(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var i))
        {
            return i;
        }

        var d = ReadDecimal(ref reader)!.Value;
        return d == decimal.Truncate(d) && d >= int.MinValue && d <= int.MaxValue ? (int)d : throw new JsonException($"{d} is not a whole number that fits an int.");
    }

    /// <summary>Reads a long integer.</summary>
    public static long? ReadInt64(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var l))
        {
            return l;
        }

        var d = ReadDecimal(ref reader)!.Value;
        return d == decimal.Truncate(d) && d >= long.MinValue && d <= long.MaxValue ? (long)d : throw new JsonException($"{d} is not a whole number that fits a long.");
    }

    /// <summary>Reads a number (also in exponent form such as <c>1.5E7</c>, or a numeric string).</summary>
    public static decimal? ReadDecimal(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                if (reader.TryGetDecimal(out var d))
                {
                    return d;
                }

                if (!reader.HasValueSequence && Utf8Parser.TryParse(reader.ValueSpan, out decimal e, out var consumed, 'E') && consumed == reader.ValueSpan.Length)
                {
                    return e;
                }

                return (decimal)reader.GetDouble();
            case JsonTokenType.String:
                return decimal.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var s)
                    ? s
                    : throw new JsonException($"Expected a number, found {Describe(ref reader)}.");
            default:
                throw new JsonException($"Expected a number, found {reader.TokenType}.");
        }
    }

    /// <summary>Reads a double.</summary>
    public static double? ReadDouble(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.Number => reader.GetDouble(),
        JsonTokenType.String when double.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => throw new JsonException($"Expected a number, found {Describe(ref reader)}."),
    };

    /// <summary>Reads a date (<c>yyyy-MM-dd</c>).</summary>
    public static DateOnly? ReadDate(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.String, "a date");
        if (!reader.HasValueSequence && !reader.ValueIsEscaped && SalesforceFormats.TryParseDate(reader.ValueSpan, out var date))
        {
            return date;
        }

        throw new JsonException($"Expected a date (yyyy-MM-dd), found {Describe(ref reader)}.");
    }

    /// <summary>Reads a datetime (<c>2024-01-02T03:04:05.000+0000</c>).</summary>
    public static DateTimeOffset? ReadDateTime(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.String, "a datetime");
        if (!reader.HasValueSequence && !reader.ValueIsEscaped && SalesforceFormats.TryParseDateTime(reader.ValueSpan, out var value))
        {
            return value;
        }

        return SalesforceFormats.TryParseDateTime(reader.GetString(), out value)
            ? value
            : throw new JsonException($"Expected a datetime such as 2024-01-02T03:04:05.000+0000, found {Describe(ref reader)}.");
    }

    /// <summary>Reads a time (<c>03:04:05.000Z</c>).</summary>
    public static TimeOnly? ReadTime(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.String, "a time");
        if (!reader.HasValueSequence && !reader.ValueIsEscaped && SalesforceFormats.TryParseTime(reader.ValueSpan, out var value))
        {
            return value;
        }

        throw new JsonException($"Expected a time such as 03:04:05.000Z, found {Describe(ref reader)}.");
    }

    /// <summary>Reads any JSON value.</summary>
    public static JsonElement? ReadElement(ref Utf8JsonReader reader)
        => reader.TokenType == JsonTokenType.Null ? null : JsonElement.ParseValue(ref reader);

    /// <summary>Reads a picklist value.</summary>
    public static T? ReadPicklist<T>(ref Utf8JsonReader reader)
        where T : struct, IPicklistValue<T>
    {
        if (reader.TokenType == JsonTokenType.String && !reader.HasValueSequence && !reader.ValueIsEscaped && T.TryFromUtf8(reader.ValueSpan, out var known))
        {
            return known;
        }

        return ReadString(ref reader) is { } s ? T.FromValue(s) : null;
    }

    /// <summary>Reads a multi-select picklist (<c>A;B</c>).</summary>
    public static PicklistSet<T>? ReadPicklistSet<T>(ref Utf8JsonReader reader)
        where T : struct, IPicklistValue<T>
        => ReadString(ref reader) is { } s ? PicklistSet<T>.Parse(s) : null;

    /// <summary>Reads a base64 field (its content URL).</summary>
    public static SalesforceBlob? ReadBlob(ref Utf8JsonReader reader)
        => ReadString(ref reader) is { } s ? SalesforceBlob.FromUrl(s) : null;

    /// <summary>Reads a compound address.</summary>
    public static Address? ReadAddress(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartObject, "an address");
        string? street = null, city = null, state = null, stateCode = null, postal = null, country = null, countryCode = null, accuracy = null;
        double? lat = null, lon = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "street": street = ReadString(ref reader); break;
                case "city": city = ReadString(ref reader); break;
                case "state": state = ReadString(ref reader); break;
                case "stateCode": stateCode = ReadString(ref reader); break;
                case "postalCode": postal = ReadString(ref reader); break;
                case "country": country = ReadString(ref reader); break;
                case "countryCode": countryCode = ReadString(ref reader); break;
                case "latitude": lat = ReadDouble(ref reader); break;
                case "longitude": lon = ReadDouble(ref reader); break;
                case "geocodeAccuracy": accuracy = ReadString(ref reader); break;
                default: SkipValue(ref reader); break;
            }
        }

        return new Address
        {
            Street = street, City = city, State = state, StateCode = stateCode, PostalCode = postal, Country = country,
            CountryCode = countryCode, Latitude = lat, Longitude = lon, GeocodeAccuracy = accuracy,
        };
    }

    /// <summary>Reads a compound geolocation.</summary>
    public static GeoLocation? ReadGeoLocation(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartObject, "a geolocation");
        double? lat = null, lon = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isLat = reader.ValueTextEquals("latitude"u8);
            var isLon = reader.ValueTextEquals("longitude"u8);
            reader.Read();
            if (isLat)
            {
                lat = ReadDouble(ref reader);
            }
            else if (isLon)
            {
                lon = ReadDouble(ref reader);
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return new GeoLocation(lat, lon);
    }

    /// <summary>Reads a parent record of a known type.</summary>
    public static T? ReadParent<T>(ref Utf8JsonReader reader, JsonSerializerOptions options)
        where T : SObject, ISObjectType<T>
        => reader.TokenType == JsonTokenType.Null ? null : T.ReadJson(ref reader, options);

    /// <summary>Reads a record whose type is named by its <c>attributes.type</c> (a polymorphic lookup such as <c>Task.What</c>).</summary>
    public static SObject? ReadPolymorphic(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartObject, "a record");
        var type = PeekType(reader);
        if (type is not null && SalesforceTypeRegistry.TryRead(type, ref reader, options, out var record))
        {
            return record;
        }

        return DynamicSObject.ReadJson(ref reader, type);
    }

    /// <summary>Reads a child relationship (<c>{"totalSize":…,"done":…,"records":[…]}</c>).</summary>
    public static ChildRecords<T>? ReadChildren<T>(ref Utf8JsonReader reader, JsonSerializerOptions options)
        where T : SObject, ISObjectType<T>
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartObject, "a child relationship");
        var records = new List<T>();
        int? total = null;
        var done = true;
        string? next = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("records"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        records.Add(T.ReadJson(ref reader, options));
                    }
                }
            }
            else if (reader.ValueTextEquals("totalSize"u8))
            {
                reader.Read();
                total = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("done"u8))
            {
                reader.Read();
                done = reader.GetBoolean();
            }
            else if (reader.ValueTextEquals("nextRecordsUrl"u8))
            {
                reader.Read();
                next = reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
            }
            else
            {
                reader.Read();
                SkipValue(ref reader);
            }
        }

        return new ChildRecords<T>(records, total, done, next);
    }

    // Writing into the target by reference keeps the caller's frame small: generated readers have one case per field, and
    // inlined value-returning helpers would give them a large frame zeroed on every call.
#pragma warning disable CS1591
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ReadString(ref Utf8JsonReader reader, ref string? target)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            target = reader.GetString();
        }
        else
        {
            target = ReadString(ref reader);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ReadId(ref Utf8JsonReader reader, ref SalesforceId? target) => target = ReadId(ref reader);

    /// <summary>Reads an id into its canonical 18-character string (generated records store ids that way).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ReadIdValue(ref Utf8JsonReader reader, ref string? target) => target = ReadId(ref reader)?.Value;

    /// <summary>Reads a picklist value as its string, sharing the listed value's string when it is listed.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ReadPicklistValue<T>(ref Utf8JsonReader reader, ref string? target)
        where T : struct, IPicklistValue<T>
    {
        if (reader.TokenType == JsonTokenType.String && !reader.HasValueSequence && !reader.ValueIsEscaped && T.TryFromUtf8(reader.ValueSpan, out var known))
        {
            target = known.Value;
            return;
        }

        target = ReadString(ref reader);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ReadBoolean(ref Utf8JsonReader reader, ref bool value, ref ulong present, ulong bit) => SObjectValues.Set(ref value, ref present, bit, ReadBoolean(ref reader));

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ReadInt32(ref Utf8JsonReader reader, ref int value, ref ulong present, ulong bit) => SObjectValues.Set(ref value, ref present, bit, ReadInt32(ref reader));

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ReadInt64(ref Utf8JsonReader reader, ref long value, ref ulong present, ulong bit) => SObjectValues.Set(ref value, ref present, bit, ReadInt64(ref reader));

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ReadDecimal(ref Utf8JsonReader reader, ref decimal value, ref ulong present, ulong bit) => SObjectValues.Set(ref value, ref present, bit, ReadDecimal(ref reader));

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ReadDate(ref Utf8JsonReader reader, ref DateOnly value, ref ulong present, ulong bit) => SObjectValues.Set(ref value, ref present, bit, ReadDate(ref reader));

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ReadDateTime(ref Utf8JsonReader reader, ref DateTimeOffset value, ref ulong present, ulong bit) => SObjectValues.Set(ref value, ref present, bit, ReadDateTime(ref reader));

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ReadTime(ref Utf8JsonReader reader, ref TimeOnly value, ref ulong present, ulong bit) => SObjectValues.Set(ref value, ref present, bit, ReadTime(ref reader));

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ReadElement(ref Utf8JsonReader reader, ref JsonElement? target) => target = ReadElement(ref reader);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ReadPicklist<T>(ref Utf8JsonReader reader, ref T? target)
        where T : struct, IPicklistValue<T>
        => target = ReadPicklist<T>(ref reader);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ReadPicklistSet<T>(ref Utf8JsonReader reader, ref PicklistSet<T>? target)
        where T : struct, IPicklistValue<T>
        => target = ReadPicklistSet<T>(ref reader);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ReadBlob(ref Utf8JsonReader reader, ref SalesforceBlob? target) => target = ReadBlob(ref reader);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ReadAddress(ref Utf8JsonReader reader, ref Address? target) => target = ReadAddress(ref reader);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ReadGeoLocation(ref Utf8JsonReader reader, ref GeoLocation? target) => target = ReadGeoLocation(ref reader);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ReadParent<T>(ref Utf8JsonReader reader, JsonSerializerOptions options, ref T? target)
        where T : SObject, ISObjectType<T>
        => target = ReadParent<T>(ref reader, options);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ReadPolymorphic(ref Utf8JsonReader reader, JsonSerializerOptions options, ref SObject? target) => target = ReadPolymorphic(ref reader, options);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ReadChildren<T>(ref Utf8JsonReader reader, JsonSerializerOptions options, ref ChildRecords<T>? target)
        where T : SObject, ISObjectType<T>
        => target = ReadChildren<T>(ref reader, options);
#pragma warning restore CS1591

    /// <summary>Finds <c>attributes.type</c> in a record without moving the caller's reader.</summary>
    internal static string? PeekType(Utf8JsonReader probe)
    {
        var depth = probe.CurrentDepth;
        while (probe.Read())
        {
            if (probe.TokenType == JsonTokenType.EndObject && probe.CurrentDepth == depth)
            {
                return null;
            }

            if (probe.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            var isAttributes = probe.ValueTextEquals("attributes"u8);
            probe.Read();
            if (isAttributes && probe.TokenType == JsonTokenType.StartObject)
            {
                while (probe.Read() && probe.TokenType == JsonTokenType.PropertyName)
                {
                    var isType = probe.ValueTextEquals("type"u8);
                    probe.Read();
                    if (isType && probe.TokenType == JsonTokenType.String)
                    {
                        return probe.GetString();
                    }

                    SkipValue(ref probe);
                }

                return null;
            }

            SkipValue(ref probe);
        }

        return null;
    }

    /// <summary>Writes <c>attributes</c> with the type (and reference id when set).</summary>
    public static void WriteAttributes(Utf8JsonWriter writer, string type, SObjectAttributes? attributes)
    {
        writer.WritePropertyName("attributes"u8);
        writer.WriteStartObject();
        writer.WriteString("type"u8, type);
        if (attributes?.Url is { } url)
        {
            writer.WriteString("url"u8, url);
        }

        if (attributes?.ReferenceId is { } reference)
        {
            writer.WriteString("referenceId"u8, reference);
        }

        writer.WriteEndObject();
    }

    /// <summary>Whether a changed field may be sent by the given operation.</summary>
    public static bool Allows(SObjectWriteMode mode, bool createable, bool updateable) => mode switch
    {
        SObjectWriteMode.Create => createable,
        SObjectWriteMode.Update => updateable,
        SObjectWriteMode.Upsert => createable || updateable,
        _ => true,
    };

    /// <summary>Writes a datetime in Salesforce's form.</summary>
    public static void WriteDateTime(Utf8JsonWriter writer, ReadOnlySpan<byte> name, DateTimeOffset? value)
    {
        writer.WritePropertyName(name);
        if (value is not { } v)
        {
            writer.WriteNullValue();
            return;
        }

        Span<byte> buffer = stackalloc byte[32];
        buffer[0] = (byte)'"';
        SalesforceFormats.FormatDateTime(v, buffer[1..], out var written);
        buffer[written + 1] = (byte)'"';
        writer.WriteRawValue(buffer[..(written + 2)], skipInputValidation: true);
    }

    /// <summary>Writes a date.</summary>
    public static void WriteDate(Utf8JsonWriter writer, ReadOnlySpan<byte> name, DateOnly? value)
    {
        if (value is { } v)
        {
            writer.WriteString(name, v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>Writes a time.</summary>
    public static void WriteTime(Utf8JsonWriter writer, ReadOnlySpan<byte> name, TimeOnly? value)
    {
        if (value is { } v)
        {
            writer.WriteString(name, SalesforceFormats.FormatTime(v));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>Writes text.</summary>
    public static void WriteString(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>Writes an id.</summary>
    public static void WriteId(Utf8JsonWriter writer, ReadOnlySpan<byte> name, SalesforceId? value)
    {
        if (value is { IsEmpty: false } v)
        {
            writer.WriteString(name, v.Value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>Writes a checkbox.</summary>
    public static void WriteBoolean(Utf8JsonWriter writer, ReadOnlySpan<byte> name, bool? value)
    {
        if (value is { } v)
        {
            writer.WriteBoolean(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>Writes an integer.</summary>
    public static void WriteInt64(Utf8JsonWriter writer, ReadOnlySpan<byte> name, long? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>Writes a number.</summary>
    public static void WriteDecimal(Utf8JsonWriter writer, ReadOnlySpan<byte> name, decimal? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>Writes any JSON value.</summary>
    public static void WriteElement(Utf8JsonWriter writer, ReadOnlySpan<byte> name, JsonElement? value)
    {
        writer.WritePropertyName(name);
        if (value is { } v)
        {
            v.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    /// <summary>Writes a picklist value.</summary>
    public static void WritePicklist<T>(Utf8JsonWriter writer, ReadOnlySpan<byte> name, T? value)
        where T : struct, IPicklistValue<T>
        => WriteString(writer, name, value?.Value);

    /// <summary>Writes a multi-select picklist.</summary>
    public static void WritePicklistSet<T>(Utf8JsonWriter writer, ReadOnlySpan<byte> name, PicklistSet<T>? value)
        where T : struct, IPicklistValue<T>
        => WriteString(writer, name, value?.ToString());

    /// <summary>Writes a base64 field: its content when set from bytes, else its URL.</summary>
    public static void WriteBlob(Utf8JsonWriter writer, ReadOnlySpan<byte> name, SalesforceBlob? value)
    {
        if (value?.Content is { } content)
        {
            writer.WriteBase64String(name, content.Span);
        }
        else
        {
            WriteString(writer, name, value?.Url);
        }
    }

    /// <summary>Writes a compound address.</summary>
    public static void WriteAddress(Utf8JsonWriter writer, ReadOnlySpan<byte> name, Address? value)
    {
        writer.WritePropertyName(name);
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        WriteString(writer, "city"u8, value.City);
        WriteString(writer, "country"u8, value.Country);
        WriteString(writer, "countryCode"u8, value.CountryCode);
        WriteString(writer, "geocodeAccuracy"u8, value.GeocodeAccuracy);
        WriteNumber(writer, "latitude"u8, value.Latitude);
        WriteNumber(writer, "longitude"u8, value.Longitude);
        WriteString(writer, "postalCode"u8, value.PostalCode);
        WriteString(writer, "state"u8, value.State);
        WriteString(writer, "stateCode"u8, value.StateCode);
        WriteString(writer, "street"u8, value.Street);
        writer.WriteEndObject();
    }

    /// <summary>Writes a compound geolocation.</summary>
    public static void WriteGeoLocation(Utf8JsonWriter writer, ReadOnlySpan<byte> name, GeoLocation? value)
    {
        writer.WritePropertyName(name);
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        WriteNumber(writer, "latitude"u8, value.Latitude);
        WriteNumber(writer, "longitude"u8, value.Longitude);
        writer.WriteEndObject();
    }

    /// <summary>Writes a parent record (a reference by external id in a body, or a nested parent in full JSON).</summary>
    public static void WriteParent(Utf8JsonWriter writer, ReadOnlySpan<byte> name, SObject? parent, SObjectWriteMode? mode, JsonSerializerOptions options)
    {
        writer.WritePropertyName(name);
        if (parent is null)
        {
            writer.WriteNullValue();
        }
        else if (mode is { } m)
        {
            parent.WriteChanges(writer, m, options);
        }
        else
        {
            parent.WriteJson(writer, options);
        }
    }

    /// <summary>Writes child records as a query result.</summary>
    public static void WriteChildren<T>(Utf8JsonWriter writer, ReadOnlySpan<byte> name, ChildRecords<T>? children, JsonSerializerOptions options)
        where T : SObject
    {
        writer.WritePropertyName(name);
        if (children is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteNumber("totalSize"u8, children.TotalSize);
        writer.WriteBoolean("done"u8, children.Done);
        if (children.NextRecordsUrl is { } next)
        {
            writer.WriteString("nextRecordsUrl"u8, next);
        }

        writer.WriteStartArray("records"u8);
        foreach (var child in children)
        {
            child.WriteJson(writer, options);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter writer, ReadOnlySpan<byte> name, double? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        if (reader.TokenType != type)
        {
            throw new JsonException($"Expected {what}, found {Describe(ref reader)}.");
        }
    }

    private static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => "\"" + reader.GetString() + "\"",
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
        _ => reader.TokenType.ToString(),
    };
}
