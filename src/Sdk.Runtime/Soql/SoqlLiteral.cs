using System.Globalization;
using System.Text;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Soql;

/// <summary>
/// Writes values as SOQL literals. Every value that reaches SOQL text goes through here, so no caller value can change the
/// query's structure: quotes, backslashes and control characters are escaped, and LIKE wildcards are escaped where the value
/// is meant literally.
/// </summary>
public static class SoqlLiteral
{
    /// <summary>A quoted, escaped string literal: <c>'Bob\'s BBQ'</c>.</summary>
    public static string String(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length + 2);
        AppendString(sb, value);
        return sb.ToString();
    }

    /// <summary>Appends a quoted, escaped string literal.</summary>
    internal static void AppendString(StringBuilder sb, string value)
    {
        sb.Append('\'');
        foreach (var c in value)
        {
            AppendEscaped(sb, c, likePattern: false);
        }

        sb.Append('\'');
    }

    /// <summary>Appends a LIKE pattern (whose backslashes are already LIKE escapes) as a quoted literal.</summary>
    internal static void AppendLikePattern(StringBuilder sb, string pattern)
    {
        sb.Append('\'');
        AppendPatternBody(sb, pattern);
        sb.Append('\'');
    }

    /// <summary>
    /// The inside of a quoted pattern. <c>\%</c>, <c>\_</c> and <c>\\</c> are LIKE escapes and pass through; any other
    /// backslash is a backslash of the text, written escaped, so a pattern can never escape the closing quote.
    /// </summary>
    private static void AppendPatternBody(StringBuilder sb, string pattern)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                if (i + 1 < pattern.Length && pattern[i + 1] is '%' or '_' or '\\')
                {
                    sb.Append('\\').Append(pattern[++i]);
                }
                else
                {
                    sb.Append("\\\\");
                }

                continue;
            }

            AppendEscaped(sb, c, likePattern: true);
        }
    }

    private static void AppendEscaped(StringBuilder sb, char c, bool likePattern)
    {
        switch (c)
        {
            case '\'': sb.Append("\\'"); break;
            case '"': sb.Append("\\\""); break;
            case '\\': sb.Append(likePattern ? "\\" : "\\\\"); break;
            case '\n': sb.Append("\\n"); break;
            case '\r': sb.Append("\\r"); break;
            case '\t': sb.Append("\\t"); break;
            case '\b': sb.Append("\\b"); break;
            case '\f': sb.Append("\\f"); break;
            default:
                if (char.IsControl(c) || c is '\u2028' or '\u2029')
                {
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                }
                else
                {
                    sb.Append(c);
                }

                break;
        }
    }

    /// <summary>Appends a .NET value as a literal (the forms of <see cref="From"/>), without building a syntax node for common types.</summary>
    internal static void AppendValue(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null:
                sb.Append("null");
                return;
            case string s:
                AppendString(sb, s);
                return;
            case SalesforceId id:
                if (id.IsEmpty)
                {
                    sb.Append("null");
                }
                else
                {
                    AppendString(sb, id.Value);
                }

                return;
            case IPicklistValue p:
                AppendString(sb, p.Value);
                return;
            case int i:
                sb.Append(i);
                return;
            case long l:
                sb.Append(l);
                return;
            case decimal d:
                sb.Append(d.ToString(CultureInfo.InvariantCulture));
                return;
            case bool b:
                sb.Append(b ? "true" : "false");
                return;
            case DateOnly date:
                AppendDate(sb, date);
                return;
            case DateTimeOffset dto:
                AppendDateTime(sb, dto);
                return;
            case SoqlDate soqlDate:
                sb.Append(soqlDate.ToString());
                return;
            default:
                SoqlWriter.WriteValue(sb, From(value));
                return;
        }
    }

    /// <summary>Appends the inside of a quoted LIKE pattern: the text escaped as a string, its wildcards escaped unless <paramref name="isPattern"/>.</summary>
    internal static void AppendLikeContent(StringBuilder sb, string text, bool isPattern)
    {
        if (isPattern)
        {
            AppendPatternBody(sb, text);
            return;
        }

        foreach (var c in text)
        {
            if (c is '%' or '_' or '\\')
            {
                sb.Append('\\');
            }

            AppendEscaped(sb, c, likePattern: true);
        }
    }

    /// <summary>Escapes text for use inside a LIKE pattern so that it matches itself (<c>%</c>, <c>_</c>, <c>\</c> escaped).</summary>
    public static string EscapeLike(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length + 4);
        foreach (var c in text)
        {
            if (c is '%' or '_' or '\\')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    /// <summary>A number in the invariant culture, never in exponent form.</summary>
    public static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A date: <c>2024-01-02</c>.</summary>
    public static string Date(DateOnly value)
    {
        Span<char> buffer = stackalloc char[10];
        WriteDate(buffer, value.Year, value.Month, value.Day);
        return new string(buffer);
    }

    /// <summary>A datetime in UTC: <c>2024-01-02T03:04:05Z</c>, with milliseconds when there are any.</summary>
    public static string DateTime(DateTimeOffset value)
    {
        Span<char> buffer = stackalloc char[24];
        return new string(buffer[..FormatDateTime(value, buffer)]);
    }

    internal static void AppendDate(StringBuilder sb, DateOnly value)
    {
        Span<char> buffer = stackalloc char[10];
        WriteDate(buffer, value.Year, value.Month, value.Day);
        sb.Append(buffer);
    }

    internal static void AppendDateTime(StringBuilder sb, DateTimeOffset value)
    {
        Span<char> buffer = stackalloc char[24];
        sb.Append(buffer[..FormatDateTime(value, buffer)]);
    }

    private static int FormatDateTime(DateTimeOffset value, Span<char> buffer)
    {
        var utc = value.UtcDateTime;
        WriteDate(buffer, utc.Year, utc.Month, utc.Day);
        buffer[10] = 'T';
        WriteDigits(buffer.Slice(11, 2), utc.Hour);
        buffer[13] = ':';
        WriteDigits(buffer.Slice(14, 2), utc.Minute);
        buffer[16] = ':';
        WriteDigits(buffer.Slice(17, 2), utc.Second);
        if (utc.Millisecond == 0)
        {
            buffer[19] = 'Z';
            return 20;
        }

        buffer[19] = '.';
        WriteDigits(buffer.Slice(20, 3), utc.Millisecond);
        buffer[23] = 'Z';
        return 24;
    }

    private static void WriteDate(Span<char> buffer, int year, int month, int day)
    {
        WriteDigits(buffer[..4], year);
        buffer[4] = '-';
        WriteDigits(buffer.Slice(5, 2), month);
        buffer[7] = '-';
        WriteDigits(buffer.Slice(8, 2), day);
    }

    private static void WriteDigits(Span<char> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }

    /// <summary>The syntax-tree value for a .NET value (strings, numbers, booleans, dates, ids, picklist values, null).</summary>
    /// <exception cref="ArgumentException">The value has no SOQL literal form.</exception>
    public static SoqlValue From(object? value) => value switch
    {
        null => SoqlNull.Instance,
        SoqlValue v => v,
        string s => new SoqlString(s),
        bool b => new SoqlBoolean(b),
        SalesforceId id => id.IsEmpty ? SoqlNull.Instance : new SoqlString(id.Value),
        IPicklistValue p => new SoqlString(p.Value),
        DateOnly d => new SoqlDateValue(d),
        DateTimeOffset dto => new SoqlDateTimeValue(dto),
        System.DateTime dt => new SoqlDateTimeValue(dt.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(dt, TimeSpan.Zero) : new DateTimeOffset(dt.ToUniversalTime())),
        SoqlDate date => date.ToSyntax(),
        char c => new SoqlString(c.ToString()),
        Enum e => new SoqlString(e.ToString()),
        Guid g => new SoqlString(g.ToString()),
        byte or sbyte or short or ushort or int or uint or long or ulong or decimal => new SoqlNumber(Convert.ToDecimal(value, CultureInfo.InvariantCulture)),
        float f when float.IsFinite(f) => new SoqlNumber((decimal)f),
        double d when double.IsFinite(d) => new SoqlNumber((decimal)d),
        _ => throw new ArgumentException($"A value of type {value.GetType()} has no SOQL literal form.", nameof(value)),
    };
}
