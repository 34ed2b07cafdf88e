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
                sb.Append(Date(date));
                return;
            case DateTimeOffset dto:
                sb.Append(DateTime(dto));
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
    public static string Date(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A datetime in UTC: <c>2024-01-02T03:04:05Z</c>, with milliseconds when there are any.</summary>
    public static string DateTime(DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        return utc.Millisecond == 0
            ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
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
