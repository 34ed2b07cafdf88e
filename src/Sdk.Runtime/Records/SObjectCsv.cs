using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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

    /// <summary>Reads a checkbox (<c>true</c>/<c>false</c>, any case, or <c>1</c>/<c>0</c>) into a field held as a value (see <see cref="SObjectValues"/>).</summary>
    public static void ReadBoolean(ReadOnlySpan<char> value, ref bool slot, ref ulong present, ulong bit) => ReadValue<bool, BooleanText>(value, ref slot, ref present, bit);

    /// <summary>Reads an integer into a field held as a value.</summary>
    public static void ReadInt32(ReadOnlySpan<char> value, ref int slot, ref ulong present, ulong bit) => ReadValue<int, Int32Text>(value, ref slot, ref present, bit);

    /// <summary>Reads a long integer into a field held as a value.</summary>
    public static void ReadInt64(ReadOnlySpan<char> value, ref long slot, ref ulong present, ulong bit) => ReadValue<long, Int64Text>(value, ref slot, ref present, bit);

    /// <summary>Reads a number, currency or percent into a field held as a value.</summary>
    public static void ReadDecimal(ReadOnlySpan<char> value, ref decimal slot, ref ulong present, ulong bit) => ReadValue<decimal, DecimalText>(value, ref slot, ref present, bit);

    /// <summary>
    /// Reads a field held as a value: an empty field clears it, any other is parsed by <typeparamref name="TText"/> and
    /// stored. <typeparamref name="TText"/> is a struct, so this is compiled for each type with the parse inlined, not
    /// called through a delegate.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReadValue<T, TText>(ReadOnlySpan<char> value, ref T slot, ref ulong present, ulong bit)
        where T : struct
        where TText : struct, IValueText<T>
    {
        if (value.IsEmpty)
        {
            SObjectValues.Clear(ref slot, ref present, bit);
        }
        else
        {
            SObjectValues.Put(ref slot, ref present, bit, TText.Parse(value));
        }
    }

    /// <summary>How a field held as a value is parsed from its (non-empty) CSV text.</summary>
    private interface IValueText<T>
    {
        static abstract T Parse(ReadOnlySpan<char> value);
    }

    private readonly struct BooleanText : IValueText<bool>
    {
        public static bool Parse(ReadOnlySpan<char> value)
        {
            if (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value is "1")
            {
                return true;
            }

            return value.Equals("false", StringComparison.OrdinalIgnoreCase) || value is "0" ? false : throw Bad(value, "a boolean");
        }
    }

    private readonly struct Int32Text : IValueText<int>
    {
        public static int Parse(ReadOnlySpan<char> value) => ParseInteger<int>(value);
    }

    private readonly struct Int64Text : IValueText<long>
    {
        public static long Parse(ReadOnlySpan<char> value) => ParseInteger<long>(value);
    }

    private readonly struct DecimalText : IValueText<decimal>
    {
        public static decimal Parse(ReadOnlySpan<char> value) => ParseDecimal(value);
    }

    private readonly struct DateText : IValueText<DateOnly>
    {
        public static DateOnly Parse(ReadOnlySpan<char> value) => SalesforceFormats.TryParseDate(value, out var d) ? d : throw Bad(value, "a date (yyyy-MM-dd)");
    }

    private readonly struct DateTimeText : IValueText<DateTimeOffset>
    {
        public static DateTimeOffset Parse(ReadOnlySpan<char> value) => SalesforceFormats.TryParseDateTime(value, out var d) ? d : throw Bad(value, "a datetime");
    }

    private readonly struct TimeText : IValueText<TimeOnly>
    {
        public static TimeOnly Parse(ReadOnlySpan<char> value) => SalesforceFormats.TryParseTime(value, out var t) ? t : throw Bad(value, "a time");
    }

    /// <summary>An integer, or a whole number written with decimals (Bulk query results may write 30 as 30.0) that fits <typeparamref name="T"/>.</summary>
    private static T ParseInteger<T>(ReadOnlySpan<char> value)
        where T : IBinaryInteger<T>, IMinMaxValue<T>
    {
        if (T.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i))
        {
            return i;
        }

        if (decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d)
            && d >= decimal.CreateTruncating(T.MinValue) && d <= decimal.CreateTruncating(T.MaxValue))
        {
            return T.CreateTruncating(d);
        }

        throw Bad(value, "an integer");
    }

    /// <summary>A number, currency or percent as Bulk writes it; null for an empty field.</summary>
    internal static decimal? Decimal(ReadOnlySpan<char> value) => value.IsEmpty ? null : ParseDecimal(value);

    private static decimal ParseDecimal(ReadOnlySpan<char> value)
        => TryParsePlainDecimal(value, out var d) || decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out d) ? d : throw Bad(value, "a number");

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
    public static void ReadDate(ReadOnlySpan<char> value, ref DateOnly slot, ref ulong present, ulong bit) => ReadValue<DateOnly, DateText>(value, ref slot, ref present, bit);

    /// <summary>Reads a datetime.</summary>
    public static void ReadDateTime(ReadOnlySpan<char> value, ref DateTimeOffset slot, ref ulong present, ulong bit) => ReadValue<DateTimeOffset, DateTimeText>(value, ref slot, ref present, bit);

    /// <summary>Reads a time.</summary>
    public static void ReadTime(ReadOnlySpan<char> value, ref TimeOnly slot, ref ulong present, ulong bit) => ReadValue<TimeOnly, TimeText>(value, ref slot, ref present, bit);

    /// <summary>Reads a multi-select picklist (values separated by <c>;</c>).</summary>
    public static void ReadPicklistSet<T>(ReadOnlySpan<char> value, ref PicklistSet<T>? target)
        where T : struct, IPicklistValue<T>
        => target = value.IsEmpty ? null : PicklistSet<T>.Parse(new string(value));

    /// <summary>
    /// Writes text; null or empty as <c>#N/A</c> (an empty field would leave the value unchanged). The text <c>#N/A</c> itself,
    /// which Bulk API would read as null, is written as it is and flagged on the writer (a bulk ingest does not send the row).
    /// </summary>
    public static void WriteString(CsvWriter writer, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            WritePlain(writer, NullText);
        }
        else
        {
            if (value.Length == Null.Length && value == Null)
            {
                writer.NullTextWritten = true;
            }

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
    /// writes it invariantly (sign, digits, and every digit of its scale: <c>1.50</c>), without the general formatter: its
    /// length is known from the digit count, and the digits go straight into place from the last. <paramref name="text"/>
    /// needs 64 characters. False for zero and wider numbers, which the general formatter writes.
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
        var whole = CountDigits(mantissa) - scale; // at most 0 below 1: then "0." and zeros before the digits
        var negative = parts[3] < 0;
        written = (negative ? 1 : 0) + Math.Max(whole, 1) + (scale > 0 ? scale + 1 : 0); // at most 1 + 1 + 1 + 28
        var at = written;
        for (var i = 0; i < scale; i++)
        {
            (mantissa, var digit) = Math.DivRem(mantissa, 10);
            text[--at] = (byte)('0' + digit); // zeros once the digits run out
        }

        if (scale > 0)
        {
            text[--at] = (byte)'.';
        }

        do
        {
            (mantissa, var digit) = Math.DivRem(mantissa, 10);
            text[--at] = (byte)('0' + digit);
        }
        while (mantissa != 0);

        if (negative)
        {
            text[--at] = (byte)'-';
        }

        Debug.Assert(at == 0);
        return true;
    }

    /// <summary>The decimal digits of a number above zero: from its bit length, corrected by one comparison.</summary>
    private static int CountDigits(ulong value)
    {
        var guess = ((BitOperations.Log2(value) + 1) * 1233) >> 12; // log10(2) ≈ 1233 / 4096
        return guess + (value >= PowersOf10[guess] ? 1 : 0);
    }

    private static ReadOnlySpan<ulong> PowersOf10 =>
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000, 100_000_000_000,
        1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000, 10_000_000_000_000_000,
        100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
    ];

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

        Date(writer.StartPlainField(10), (uint)date.DayNumber);
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

        var ticks = (ulong)instant.UtcTicks;
        var days = ticks / TimeSpan.TicksPerDay;
        var text = writer.StartPlainField(24);
        Date(text, (uint)days);
        text[10] = (byte)'T';
        Time(text[11..], (uint)((ticks - (days * TimeSpan.TicksPerDay)) / TimeSpan.TicksPerMillisecond));
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

        Time(writer.StartPlainField(13), (uint)(time.Ticks / TimeSpan.TicksPerMillisecond));
        writer.EndPlainField(13);
    }

    /// <summary>
    /// yyyy-MM-dd of a day number (days since 0001-01-01), two digits at a time. The civil date comes from Neri and
    /// Schneider's algorithm ("Euclidean affine functions and their application to calendar algorithms", 2022): multiplications
    /// and shifts on a calendar whose years start in March, so that February's varying length comes last.
    /// </summary>
    private static void Date(Span<byte> text, uint dayNumber)
    {
        ref var at = ref MemoryMarshal.GetReference(text[..10]); // checks the length once
        var n1 = (4 * (dayNumber + 306)) + 3; // days since 0000-03-01, scaled
        var century = n1 / 146097;
        var n2 = (n1 % 146097) | 3; // 4 × the day of the century + 3
        var p2 = 2939745UL * n2;
        var yearOfCentury = (uint)(p2 >> 32);
        var dayOfYear = (uint)p2 / 2939745 / 4; // since March 1
        var n3 = (2141 * dayOfYear) + 197913;
        var month = n3 >> 16;
        var day = ((n3 & 0xFFFF) / 2141) + 1;
        var year = (100 * century) + yearOfCentury;
        if (month > 12)
        {
            year++;
            month -= 12;
        }

        Unsafe.WriteUnaligned(ref at, Pair(year / 100));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref at, 2), Pair(year % 100));
        Unsafe.Add(ref at, 4) = (byte)'-';
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref at, 5), Pair(month));
        Unsafe.Add(ref at, 7) = (byte)'-';
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref at, 8), Pair(day));
    }

    /// <summary>HH:mm:ss.fffZ of the milliseconds since midnight, two digits at a time.</summary>
    private static void Time(Span<byte> text, uint milliseconds)
    {
        ref var at = ref MemoryMarshal.GetReference(text[..13]); // checks the length once
        var seconds = milliseconds / 1000;
        var minutes = seconds / 60;
        Unsafe.WriteUnaligned(ref at, Pair(minutes / 60));
        Unsafe.Add(ref at, 2) = (byte)':';
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref at, 3), Pair(minutes % 60));
        Unsafe.Add(ref at, 5) = (byte)':';
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref at, 6), Pair(seconds % 60));
        Unsafe.Add(ref at, 8) = (byte)'.';
        var fraction = milliseconds % 1000;
        Unsafe.Add(ref at, 9) = (byte)('0' + (fraction / 100));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref at, 10), Pair(fraction % 100));
        Unsafe.Add(ref at, 12) = (byte)'Z';
    }

    private static ReadOnlySpan<byte> DigitPairs => "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

    /// <summary>The two ASCII digits of <paramref name="value"/> (below 100), as they lie in memory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ushort Pair(uint value)
    {
        Debug.Assert(value < 100);
        return Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref MemoryMarshal.GetReference(DigitPairs), (nint)(value * 2)));
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
