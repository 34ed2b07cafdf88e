using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;

namespace Sdk.Runtime.Records;

/// <summary>
/// Salesforce's wire formats for dates and times, read and written exactly.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>datetime: written <c>2024-01-02T03:04:05.000+0000</c> (UTC); read with <c>+0000</c>, <c>+00:00</c> or <c>Z</c>, with or without milliseconds.</item>
/// <item>date: <c>2024-01-02</c>.</item>
/// <item>time: written <c>03:04:05.000Z</c>; read with or without milliseconds and <c>Z</c>.</item>
/// </list>
/// </remarks>
public static class SalesforceFormats
{
    /// <summary>Writes a datetime as Salesforce does: UTC with milliseconds and <c>+0000</c>.</summary>
    public static string FormatDateTime(DateTimeOffset value)
    {
        Span<char> buffer = stackalloc char[28];
        FormatDateTime(value, buffer, out var written);
        return new string(buffer[..written]);
    }

    /// <summary>Writes a datetime into <paramref name="destination"/> (28 characters).</summary>
    public static bool FormatDateTime(DateTimeOffset value, Span<char> destination, out int charsWritten)
        => value.UtcDateTime.TryFormat(destination, out charsWritten, "yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);

    /// <summary>Writes a datetime as UTF-8 into <paramref name="destination"/> (28 bytes).</summary>
    public static bool FormatDateTime(DateTimeOffset value, Span<byte> destination, out int bytesWritten)
        => value.UtcDateTime.TryFormat(destination, out bytesWritten, "yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);

    /// <summary>Writes a date: <c>2024-01-02</c>.</summary>
    public static string FormatDate(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Writes a time: <c>03:04:05.000Z</c>.</summary>
    public static string FormatTime(TimeOnly value) => value.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) + "Z";

    /// <summary>Parses a Salesforce datetime.</summary>
    /// <exception cref="FormatException">The text is not a datetime.</exception>
    public static DateTimeOffset ParseDateTime(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParseDateTime(text, out var value) ? value : throw new FormatException($"'{text}' is not a Salesforce datetime (expected e.g. 2024-01-02T03:04:05.000+0000).");
    }

    /// <summary>Tries to parse a Salesforce datetime.</summary>
    public static bool TryParseDateTime([NotNullWhen(true)] string? text, out DateTimeOffset value)
    {
        value = default;
        return text is not null && TryParseDateTime(text.AsSpan(), out value);
    }

    /// <summary>Tries to parse a Salesforce datetime.</summary>
    public static bool TryParseDateTime(ReadOnlySpan<char> text, out DateTimeOffset value) => TryParseDateTimeOf(text, out value);

    /// <summary>Tries to parse a Salesforce datetime from UTF-8.</summary>
    public static bool TryParseDateTime(ReadOnlySpan<byte> text, out DateTimeOffset value) => TryParseDateTimeOf(text, out value);

    /// <summary>
    /// The datetime parser for UTF-16 and UTF-8 text alike (a character outside ASCII matches no digit or separator), building
    /// the value from its ticks: <c>yyyy-MM-ddTHH:mm:ss[.fff...](Z|+hhmm|+hh:mm|-hhmm|-hh:mm)</c>, a space allowed for the T.
    /// </summary>
    private static bool TryParseDateTimeOf<TChar>(ReadOnlySpan<TChar> text, out DateTimeOffset value)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        value = default;
        if (text.Length < 20 || At(text, 4) != '-' || At(text, 7) != '-' || (At(text, 10) != 'T' && At(text, 10) != ' ') || At(text, 13) != ':' || At(text, 16) != ':')
        {
            return false;
        }

        if (!Digits(text, 0, 4, out var year) || !Digits(text, 5, 2, out var month) || !Digits(text, 8, 2, out var day)
            || !Digits(text, 11, 2, out var hour) || !Digits(text, 14, 2, out var minute) || !Digits(text, 17, 2, out var second))
        {
            return false;
        }

        var pos = 19;
        long fractionTicks = 0;
        if (At(text, pos) == '.')
        {
            pos++;
            var start = pos;
            long scale = TimeSpan.TicksPerSecond;
            while (pos < text.Length && (uint)(At(text, pos) - '0') <= 9)
            {
                scale /= 10;
                fractionTicks += (At(text, pos) - '0') * scale;
                pos++;
            }

            if (pos == start)
            {
                return false;
            }
        }

        int offsetMinutes;
        if (pos < text.Length && At(text, pos) == 'Z' && pos + 1 == text.Length)
        {
            offsetMinutes = 0;
        }
        else if (pos < text.Length && (At(text, pos) == '+' || At(text, pos) == '-'))
        {
            var sign = At(text, pos) == '-' ? -1 : 1;
            var rest = text[(pos + 1)..];
            int oh, om;
            if (rest.Length == 4 && Digits(rest, 0, 2, out oh) && Digits(rest, 2, 2, out om))
            {
            }
            else if (rest.Length == 5 && At(rest, 2) == ':' && Digits(rest, 0, 2, out oh) && Digits(rest, 3, 2, out om))
            {
            }
            else
            {
                return false;
            }

            if (oh > 14 || om > 59)
            {
                return false;
            }

            offsetMinutes = sign * ((oh * 60) + om);
        }
        else
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var ticks = (new DateOnly(year, month, day).DayNumber * TimeSpan.TicksPerDay) + (hour * TimeSpan.TicksPerHour)
            + (minute * TimeSpan.TicksPerMinute) + (second * TimeSpan.TicksPerSecond) + fractionTicks;
        try
        {
            value = new DateTimeOffset(ticks, TimeSpan.FromMinutes(offsetMinutes)); // throws when the instant is out of range
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    private static int At<TChar>(ReadOnlySpan<TChar> text, int index)
        where TChar : unmanaged, IBinaryInteger<TChar>
        => int.CreateTruncating(text[index]);

    /// <summary>Parses a Salesforce date (<c>yyyy-MM-dd</c>).</summary>
    public static bool TryParseDate(ReadOnlySpan<byte> text, out DateOnly value) => TryParseDateOf(text, out value);

    /// <summary>Parses a Salesforce date (<c>yyyy-MM-dd</c>).</summary>
    public static bool TryParseDate(ReadOnlySpan<char> text, out DateOnly value) => TryParseDateOf(text, out value);

    private static bool TryParseDateOf<TChar>(ReadOnlySpan<TChar> text, out DateOnly value)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        value = default;
        if (text.Length != 10 || At(text, 4) != '-' || At(text, 7) != '-'
            || !Digits(text, 0, 4, out var y) || !Digits(text, 5, 2, out var m) || !Digits(text, 8, 2, out var d)
            || y < 1 || m is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, m))
        {
            return false;
        }

        value = new DateOnly(y, m, d);
        return true;
    }

    /// <summary>Parses a Salesforce time (<c>HH:mm:ss[.fff][Z]</c>).</summary>
    public static bool TryParseTime(ReadOnlySpan<byte> text, out TimeOnly value)
    {
        value = default;
        if (text.Length > 0 && text[^1] == 'Z')
        {
            text = text[..^1];
        }

        if (text.Length < 8 || text[2] != ':' || text[5] != ':'
            || !Digits(text, 0, 2, out var h) || !Digits(text, 3, 2, out var m) || !Digits(text, 6, 2, out var s) || h > 23 || m > 59 || s > 59)
        {
            return false;
        }

        long ticks = 0;
        if (text.Length > 8)
        {
            if (text[8] != '.' || text.Length == 9)
            {
                return false;
            }

            long scale = TimeSpan.TicksPerSecond;
            for (var i = 9; i < text.Length; i++)
            {
                if (text[i] is < (byte)'0' or > (byte)'9')
                {
                    return false;
                }

                scale /= 10;
                ticks += (text[i] - '0') * scale;
            }
        }

        value = new TimeOnly(h, m, s).Add(TimeSpan.FromTicks(ticks));
        return true;
    }

    /// <summary>Parses a Salesforce time (<c>HH:mm:ss[.fff][Z]</c>).</summary>
    public static bool TryParseTime(ReadOnlySpan<char> text, out TimeOnly value)
    {
        Span<byte> utf8 = stackalloc byte[24];
        value = default;
        if (text.Length > utf8.Length)
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] > 127)
            {
                return false;
            }

            utf8[i] = (byte)text[i];
        }

        return TryParseTime(utf8[..text.Length], out value);
    }

    private static bool Digits<TChar>(ReadOnlySpan<TChar> text, int start, int count, out int value)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        value = 0;
        if (start + count > text.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            var d = At(text, i) - '0';
            if ((uint)d > 9)
            {
                return false;
            }

            value = value * 10 + d;
        }

        return true;
    }

    internal static bool TryParseDecimal(ReadOnlySpan<byte> text, out decimal value) => Utf8Parser.TryParse(text, out value, out var consumed) && consumed == text.Length;
}
