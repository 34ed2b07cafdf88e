using System.ComponentModel;
using System.Globalization;
using Sdk.Runtime.Bulk.Csv;

namespace Sdk.Runtime.Records;

/// <summary>
/// CSV reading and writing helpers used by generated record code, in Bulk API's formats: an empty field is null on read;
/// null is written <c>#N/A</c> (Bulk's explicit null); booleans <c>true</c>/<c>false</c>; numbers invariant; dates
/// <c>2024-01-02</c>; datetimes <c>2024-01-02T03:04:05.000Z</c>; times <c>03:04:05.000Z</c>; multi-select picklists with <c>;</c>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SObjectCsv
{
    /// <summary>Bulk API's explicit null.</summary>
    public const string Null = "#N/A";

    /// <summary>Reads text (empty is null), shared through the column's pool.</summary>
    public static void ReadString(ReadOnlySpan<char> value, CsvStringPool pool, ref string? target)
        => target = value.IsEmpty ? null : pool.Get(value);

    /// <summary>Reads an id, stored in its canonical 18-character form and shared through the column's pool.</summary>
    /// <exception cref="FormatException">The text is not a Salesforce id.</exception>
    public static void ReadId(ReadOnlySpan<char> value, CsvStringPool pool, ref string? target)
        => target = value.IsEmpty ? null : pool.GetId(value) ?? throw Bad(value, "an id");

    /// <summary>Reads a checkbox (<c>true</c>/<c>false</c>, any case, or <c>1</c>/<c>0</c>).</summary>
    public static void ReadBoolean(ReadOnlySpan<char> value, ref bool? target)
    {
        if (value.IsEmpty)
        {
            target = null;
        }
        else if (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value is "1")
        {
            target = true;
        }
        else if (value.Equals("false", StringComparison.OrdinalIgnoreCase) || value is "0")
        {
            target = false;
        }
        else
        {
            throw Bad(value, "a boolean");
        }
    }

    /// <summary>Reads an integer.</summary>
    public static void ReadInt32(ReadOnlySpan<char> value, ref int? target)
    {
        if (value.IsEmpty)
        {
            target = null;
        }
        else if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i))
        {
            target = i;
        }
        else if (decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d) && d is >= int.MinValue and <= int.MaxValue)
        {
            target = (int)d; // Bulk query results may write whole numbers as 30.0
        }
        else
        {
            throw Bad(value, "an integer");
        }
    }

    /// <summary>Reads a long integer.</summary>
    public static void ReadInt64(ReadOnlySpan<char> value, ref long? target)
    {
        if (value.IsEmpty)
        {
            target = null;
        }
        else if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i))
        {
            target = i;
        }
        else if (decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d) && d is >= long.MinValue and <= long.MaxValue)
        {
            target = (long)d;
        }
        else
        {
            throw Bad(value, "an integer");
        }
    }

    /// <summary>Reads a number, currency or percent.</summary>
    public static void ReadDecimal(ReadOnlySpan<char> value, ref decimal? target)
        => target = value.IsEmpty ? null
            : TryParsePlainDecimal(value, out var d) || decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out d) ? d : throw Bad(value, "a number");

    /// <summary>
    /// The common shape of a Bulk number, <c>-?digits(.digits)?</c> with at most 18 digits, read without the general parser;
    /// anything else (exponents, signs, zero, longer numbers) is left to <see cref="decimal.TryParse(ReadOnlySpan{char}, NumberStyles, IFormatProvider, out decimal)"/>.
    /// The result is the same value with the same scale (<c>1.50</c> keeps its two decimals).
    /// </summary>
    internal static bool TryParsePlainDecimal(ReadOnlySpan<char> text, out decimal value)
    {
        value = 0;
        var negative = !text.IsEmpty && text[0] == '-';
        var i = negative ? 1 : 0;
        ulong mantissa = 0;
        var digits = 0;
        var scale = -1;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                mantissa = (mantissa * 10) + (ulong)(c - '0');
                digits++;
                if (scale >= 0)
                {
                    scale++;
                }
            }
            else if (c == '.' && scale < 0 && digits > 0)
            {
                scale = 0;
            }
            else
            {
                return false;
            }
        }

        if (digits is 0 or > 18 || scale == 0 || mantissa == 0)
        {
            return false;
        }

        value = new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), 0, negative, (byte)Math.Max(scale, 0));
        return true;
    }

    /// <summary>Reads a date.</summary>
    public static void ReadDate(ReadOnlySpan<char> value, ref DateOnly? target)
        => target = value.IsEmpty ? null : SalesforceFormats.TryParseDate(value, out var d) ? d : throw Bad(value, "a date (yyyy-MM-dd)");

    /// <summary>Reads a datetime.</summary>
    public static void ReadDateTime(ReadOnlySpan<char> value, ref DateTimeOffset? target)
        => target = value.IsEmpty ? null : SalesforceFormats.TryParseDateTime(value, out var d) ? d : throw Bad(value, "a datetime");

    /// <summary>Reads a time.</summary>
    public static void ReadTime(ReadOnlySpan<char> value, ref TimeOnly? target)
        => target = value.IsEmpty ? null : SalesforceFormats.TryParseTime(value, out var t) ? t : throw Bad(value, "a time");

    /// <summary>Reads a multi-select picklist (values separated by <c>;</c>).</summary>
    public static void ReadPicklistSet<T>(ReadOnlySpan<char> value, ref PicklistSet<T>? target)
        where T : struct, IPicklistValue<T>
        => target = value.IsEmpty ? null : PicklistSet<T>.Parse(new string(value));

    /// <summary>Writes text; null or empty as <c>#N/A</c> (an empty field would leave the value unchanged).</summary>
    public static void WriteString(CsvWriter writer, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            WritePlain(writer, NullText);
        }
        else
        {
            writer.WriteField(value);
        }
    }

    /// <summary>Writes an empty field (a member not written: Bulk API leaves the field as it is).</summary>
    public static void WriteEmpty(CsvWriter writer) => writer.WriteEmptyField();

    /// <summary>Writes a checkbox.</summary>
    public static void WriteBoolean(CsvWriter writer, bool? value) => WritePlain(writer, value is { } b ? (b ? "true"u8 : "false"u8) : NullText);

    /// <summary>Writes an integer.</summary>
    public static void WriteInt32(CsvWriter writer, int? value) => WriteFormattable(writer, value);

    /// <summary>Writes a long integer.</summary>
    public static void WriteInt64(CsvWriter writer, long? value) => WriteFormattable(writer, value);

    /// <summary>Writes a number, currency or percent.</summary>
    public static void WriteDecimal(CsvWriter writer, decimal? value) => WriteFormattable(writer, value);

    /// <summary>
    /// A decimal whose digits fit 64 bits (any Bulk number but the largest), as <see cref="decimal.ToString(IFormatProvider)"/>
    /// writes it invariantly (sign, digits, and every digit of its scale: <c>1.50</c>), without the general formatter;
    /// <paramref name="text"/> needs 64 characters. False for zero and wider numbers, which the general formatter writes.
    /// </summary>
    internal static bool TryFormatPlainDecimal(decimal value, Span<byte> text, out int written)
    {
        written = 0;
        var parts = default(DecimalParts);
        decimal.GetBits(value, parts);
        if (parts[2] != 0 || (parts[0] | parts[1]) == 0)
        {
            return false;
        }

        var mantissa = ((ulong)(uint)parts[1] << 32) | (uint)parts[0];
        var scale = (parts[3] >> 16) & 0xFF;
        var digits = text[32..]; // room for 20 digits after the at most 31 characters of the result
        mantissa.TryFormat(digits, out var count, default, CultureInfo.InvariantCulture);
        if (parts[3] < 0)
        {
            text[written++] = (byte)'-';
        }

        var whole = count - scale;
        if (whole <= 0)
        {
            text[written++] = (byte)'0'; // 0.05: a zero before the point, zeros after it up to the digits
            text[written++] = (byte)'.';
            text.Slice(written, -whole).Fill((byte)'0');
            written += -whole;
            digits[..count].CopyTo(text[written..]);
            written += count;
            return true;
        }

        digits[..whole].CopyTo(text[written..]);
        written += whole;
        if (scale > 0)
        {
            text[written++] = (byte)'.';
            digits.Slice(whole, scale).CopyTo(text[written..]);
            written += scale;
        }

        return true;
    }

    [System.Runtime.CompilerServices.InlineArray(4)]
    private struct DecimalParts
    {
        private int _part;
    }

    /// <summary>Writes a date.</summary>
    public static void WriteDate(CsvWriter writer, DateOnly? value)
    {
        if (value is not { } date)
        {
            WritePlain(writer, NullText);
            return;
        }

        Date(writer.StartPlainField(10), date.Year, date.Month, date.Day);
        writer.EndPlainField(10);
    }

    /// <summary>Writes a datetime in UTC.</summary>
    public static void WriteDateTime(CsvWriter writer, DateTimeOffset? value)
    {
        if (value is not { } instant)
        {
            WritePlain(writer, NullText);
            return;
        }

        var ticks = instant.UtcTicks;
        DateOnly.FromDayNumber((int)(ticks / TimeSpan.TicksPerDay)).Deconstruct(out var year, out var month, out var day);
        var text = writer.StartPlainField(24);
        Date(text, year, month, day);
        text[10] = (byte)'T';
        Time(text[11..], ticks % TimeSpan.TicksPerDay);
        writer.EndPlainField(24);
    }

    /// <summary>Writes a time.</summary>
    public static void WriteTime(CsvWriter writer, TimeOnly? value)
    {
        if (value is not { } time)
        {
            WritePlain(writer, NullText);
            return;
        }

        Time(writer.StartPlainField(13), time.Ticks);
        writer.EndPlainField(13);
    }

    // yyyy-MM-dd, written two digits at a time (a custom format string is parsed on every call).
    private static void Date(Span<byte> text, int year, int month, int day)
    {
        TwoDigits(text, year / 100);
        TwoDigits(text[2..], year % 100);
        text[4] = (byte)'-';
        TwoDigits(text[5..], month);
        text[7] = (byte)'-';
        TwoDigits(text[8..], day);
    }

    // HH:mm:ss.fffZ from the ticks since midnight.
    private static void Time(Span<byte> text, long ticks)
    {
        var milliseconds = (int)(ticks / TimeSpan.TicksPerMillisecond);
        var seconds = milliseconds / 1000;
        TwoDigits(text, seconds / 3600);
        text[2] = (byte)':';
        TwoDigits(text[3..], seconds / 60 % 60);
        text[5] = (byte)':';
        TwoDigits(text[6..], seconds % 60);
        text[8] = (byte)'.';
        text[9] = (byte)('0' + (milliseconds % 1000 / 100));
        TwoDigits(text[10..], milliseconds % 100);
        text[12] = (byte)'Z';
    }

    private static ReadOnlySpan<byte> DigitPairs => "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

    private static void TwoDigits(Span<byte> text, int value)
    {
        text[0] = DigitPairs[value * 2];
        text[1] = DigitPairs[(value * 2) + 1];
    }

    /// <summary>Text that never needs quoting (ASCII without delimiters, quotes or spaces), copied straight in.</summary>
    private static void WritePlain(CsvWriter writer, ReadOnlySpan<byte> text)
    {
        text.CopyTo(writer.StartPlainField(text.Length));
        writer.EndPlainField(text.Length);
    }

    private static ReadOnlySpan<byte> NullText => "#N/A"u8;

    /// <summary>Writes a multi-select picklist.</summary>
    public static void WritePicklistSet<T>(CsvWriter writer, PicklistSet<T>? value)
        where T : struct, IPicklistValue<T>
        => WriteString(writer, value?.ToString());

    /// <summary>A number in invariant format, formatted in place (numbers never need quoting); decimals by <see cref="TryFormatPlainDecimal"/> when they can.</summary>
    private static void WriteFormattable<T>(CsvWriter writer, T? value)
        where T : struct, IUtf8SpanFormattable
    {
        if (value is not { } v)
        {
            WritePlain(writer, NullText);
            return;
        }

        const int Longest = 64; // a decimal is at most 31 characters, a long 20
        var text = writer.StartPlainField(Longest);
        var written = 0;
        var plainDecimal = typeof(T) == typeof(decimal) && TryFormatPlainDecimal((decimal)(object)v, text, out written); // no box: T is known when compiled
        if (!plainDecimal && !v.TryFormat(text, out written, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"{typeof(T).Name} {v} did not format in {Longest} characters.");
        }

        writer.EndPlainField(written);
    }

    private static FormatException Bad(ReadOnlySpan<char> value, string what)
        => new($"'{(value.Length > 64 ? value[..64].ToString() + "…" : value.ToString())}' is not {what}.");
}
