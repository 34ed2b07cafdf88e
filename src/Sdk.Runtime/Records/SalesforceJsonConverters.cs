using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sdk.Runtime.Records;

/// <summary>Reads and writes <see cref="DateTimeOffset"/> in Salesforce's datetime format (<c>2024-01-02T03:04:05.000+0000</c>).</summary>
public sealed class SalesforceDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    /// <summary>The shared instance.</summary>
    public static SalesforceDateTimeOffsetConverter Instance { get; } = new();

    /// <inheritdoc/>
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a datetime string, found {reader.TokenType}.");
        }

        var span = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        if (!reader.ValueIsEscaped && SalesforceFormats.TryParseDateTime(span, out var value))
        {
            return value;
        }

        var text = reader.GetString();
        return SalesforceFormats.TryParseDateTime(text, out value)
            ? value
            : throw new JsonException($"'{text}' is not a Salesforce datetime (expected e.g. 2024-01-02T03:04:05.000+0000).");
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        // Written raw: the default encoder would escape '+' as \u002B, which is valid JSON but not Salesforce's exact form.
        Span<byte> buffer = stackalloc byte[32];
        buffer[0] = (byte)'"';
        SalesforceFormats.FormatDateTime(value, buffer[1..], out var written);
        buffer[written + 1] = (byte)'"';
        writer.WriteRawValue(buffer[..(written + 2)], skipInputValidation: true);
    }
}

/// <summary>Reads and writes <see cref="DateTime"/> in Salesforce's datetime format, as UTC.</summary>
public sealed class SalesforceDateTimeConverter : JsonConverter<DateTime>
{
    /// <inheritdoc/>
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => SalesforceDateTimeOffsetConverter.Instance.Read(ref reader, typeof(DateTimeOffset), options).UtcDateTime;

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
    {
        var utc = value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : value.ToUniversalTime();
        SalesforceDateTimeOffsetConverter.Instance.Write(writer, new DateTimeOffset(utc), options);
    }
}

/// <summary>Reads and writes <see cref="DateOnly"/> as <c>yyyy-MM-dd</c>.</summary>
public sealed class SalesforceDateOnlyConverter : JsonConverter<DateOnly>
{
    /// <summary>The shared instance.</summary>
    public static SalesforceDateOnlyConverter Instance { get; } = new();

    /// <inheritdoc/>
    public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && !reader.HasValueSequence && !reader.ValueIsEscaped
            && SalesforceFormats.TryParseDate(reader.ValueSpan, out var value))
        {
            return value;
        }

        throw new JsonException($"Expected a Salesforce date (yyyy-MM-dd), found {(reader.TokenType == JsonTokenType.String ? "'" + reader.GetString() + "'" : reader.TokenType.ToString())}.");
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options)
    {
        Span<byte> buffer = stackalloc byte[10];
        value.TryFormat(buffer, out var written, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        writer.WriteStringValue(buffer[..written]);
    }
}

/// <summary>Reads and writes <see cref="TimeOnly"/> as <c>HH:mm:ss.fffZ</c>.</summary>
public sealed class SalesforceTimeOnlyConverter : JsonConverter<TimeOnly>
{
    /// <summary>The shared instance.</summary>
    public static SalesforceTimeOnlyConverter Instance { get; } = new();

    /// <inheritdoc/>
    public override TimeOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && !reader.HasValueSequence && !reader.ValueIsEscaped
            && SalesforceFormats.TryParseTime(reader.ValueSpan, out var value))
        {
            return value;
        }

        throw new JsonException($"Expected a Salesforce time (HH:mm:ss.fffZ), found {(reader.TokenType == JsonTokenType.String ? "'" + reader.GetString() + "'" : reader.TokenType.ToString())}.");
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, TimeOnly value, JsonSerializerOptions options)
        => writer.WriteStringValue(SalesforceFormats.FormatTime(value));
}
