using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sdk.Runtime.Records;

/// <summary>
/// A Salesforce record id. Accepts the 15-character (case-sensitive) and 18-character (case-safe) forms and always holds the
/// 18-character form, so two ids of the same record are equal whichever form they came in.
/// </summary>
/// <remarks>
/// The last three characters of an 18-character id encode the case of the first fifteen. Parsing checks them: an id whose
/// suffix does not match its characters is rejected, and an 18-character id whose letters lost their case (all upper or all
/// lower case) is restored from its suffix.
/// </remarks>
[JsonConverter(typeof(SalesforceIdJsonConverter))]
public readonly struct SalesforceId : IEquatable<SalesforceId>, IComparable<SalesforceId>, ISpanParsable<SalesforceId>
{
    private const string SuffixAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    private readonly string? _value;

    private SalesforceId(string value) => _value = value;

    /// <summary>Whether this is the default value, holding no id.</summary>
    public bool IsEmpty => _value is null;

    /// <summary>The 18-character form.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>
    /// Whether this is a composite reference (<c>@{refAccount.id}</c>) standing for the id an earlier subrequest of the same
    /// composite call produces, rather than an id. See <c>CompositeResult.Ref</c>.
    /// </summary>
    public bool IsReference => _value is { Length: > 0 } v && v[0] == '@';

    /// <summary>The 15-character, case-sensitive form (a reference as it is).</summary>
    public string ToShortString() => _value is null ? string.Empty : IsReference ? _value : _value[..15];

    /// <summary>The three-character key prefix naming the object type, for example <c>001</c> for Account (empty for a reference).</summary>
    public string KeyPrefix => _value is null || IsReference ? string.Empty : _value[..3];

    /// <summary>An id as a record stores it: text that was an id (or a reference) when stored.</summary>
    internal static SalesforceId FromStored(string value) => new(value);

    /// <summary>A composite reference expression, <c>@{referenceId.path}</c>.</summary>
    internal static SalesforceId Reference(string expression) => new(expression);

    /// <summary>Whether text is a composite reference expression: <c>@{</c>, a reference id, a path, <c>}</c>.</summary>
    internal static bool IsReferenceText(ReadOnlySpan<char> s)
        => s.Length > 4 && s[0] == '@' && s[1] == '{' && s[^1] == '}' && s[2..^1].IndexOfAny('{', '}', '@') < 0;

    /// <summary>Parses a 15- or 18-character id.</summary>
    /// <exception cref="FormatException">The text is not a valid id; the message says why.</exception>
    public static SalesforceId Parse(string s) => Parse(s, provider: null);

    /// <summary>Wraps an id that is already in canonical 18-character form (generated records store ids that way).</summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public static SalesforceId FromCanonical(string id18)
    {
        ArgumentNullException.ThrowIfNull(id18);
        return id18.Length == 18 || IsReferenceText(id18) ? new SalesforceId(id18) : Parse(id18, provider: null);
    }

    /// <inheritdoc/>
    public static SalesforceId Parse(string s, IFormatProvider? provider)
    {
        ArgumentNullException.ThrowIfNull(s);
        return TryParse(s, s, out var id, out var error) ? id : throw new FormatException(error);
    }

    /// <inheritdoc/>
    public static SalesforceId Parse(ReadOnlySpan<char> s, IFormatProvider? provider)
        => TryParse(s, out var id, out var error) ? id : throw new FormatException(error);

    /// <summary>Tries to parse a 15- or 18-character id.</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, out SalesforceId result) => TryParse(s.AsSpan(), s, out result, out _);

    /// <inheritdoc/>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out SalesforceId result) => TryParse(s.AsSpan(), s, out result, out _);

    /// <inheritdoc/>
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out SalesforceId result) => TryParse(s, out result, out _);

    /// <summary>Tries to parse an id, returning why it failed.</summary>
    internal static bool TryParse(ReadOnlySpan<char> s, out SalesforceId result, out string error) => TryParse(s, null, out result, out error);

    /// <summary>Parses <paramref name="s"/>, the text of <paramref name="original"/> when there is one: an original already in canonical form is kept, not copied.</summary>
    private static bool TryParse(ReadOnlySpan<char> s, string? original, out SalesforceId result, out string error)
    {
        // The common case first, with no copies: an id already in canonical 18-character form.
        if (s.Length == 18 && IsCanonical(s))
        {
            result = new SalesforceId(original ?? new string(s));
            error = string.Empty;
            return true;
        }

        return TryParseOtherForms(s, out result, out error);
    }

    /// <summary>A 15-character id, an 18-character id whose letters lost their case, or not an id (with why).</summary>
    private static bool TryParseOtherForms(ReadOnlySpan<char> s, out SalesforceId result, out string error)
    {
        result = default;
        if (s.Length != 15 && s.Length != 18)
        {
            error = $"'{Show(s)}' is not a Salesforce id: an id has 15 or 18 characters, this has {s.Length}.";
            return false;
        }

        foreach (var c in s)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                error = $"'{Show(s)}' is not a Salesforce id: '{c}' is not a letter or digit.";
                return false;
            }
        }

        Span<char> chars = stackalloc char[18];
        s[..15].CopyTo(chars);
        Span<char> computed = stackalloc char[3];
        ComputeSuffix(chars[..15], computed);
        if (s.Length == 15)
        {
            computed.CopyTo(chars[15..]);
            result = new SalesforceId(new string(chars));
            error = string.Empty;
            return true;
        }

        Span<char> given = stackalloc char[3];
        for (var i = 0; i < 3; i++)
        {
            given[i] = char.ToUpperInvariant(s[15 + i]);
        }

        if (given.SequenceEqual(computed))
        {
            given.CopyTo(chars[15..]);
            result = new SalesforceId(new string(chars));
            error = string.Empty;
            return true;
        }

        // The case of the first fifteen characters may have been lost (an id upper- or lower-cased by another system):
        // restore it from the suffix, if every letter has the same case.
        if (!SingleCase(s[..15]))
        {
            error = $"'{Show(s)}' is not a valid Salesforce id: its last three characters do not match the first fifteen (expected '{new string(computed)}').";
            return false;
        }

        for (var chunk = 0; chunk < 3; chunk++)
        {
            var bits = SuffixAlphabet.IndexOf(given[chunk], StringComparison.Ordinal);
            if (bits < 0)
            {
                error = $"'{Show(s)}' is not a valid Salesforce id: '{s[15 + chunk]}' cannot end an 18-character id.";
                return false;
            }

            for (var j = 0; j < 5; j++)
            {
                var index = chunk * 5 + j;
                var c = chars[index];
                var upper = (bits & (1 << j)) != 0;
                if (upper && !char.IsAsciiLetter(c))
                {
                    error = $"'{Show(s)}' is not a valid Salesforce id: its suffix marks character {index + 1} as an upper-case letter.";
                    return false;
                }

                chars[index] = upper ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c);
            }
        }

        given.CopyTo(chars[15..]);
        result = new SalesforceId(new string(chars));
        error = string.Empty;
        return true;
    }

    private static bool SingleCase(ReadOnlySpan<char> s)
    {
        bool upper = false, lower = false;
        foreach (var c in s)
        {
            upper |= char.IsAsciiLetterUpper(c);
            lower |= char.IsAsciiLetterLower(c);
        }

        return !(upper && lower);
    }

    private static readonly System.Buffers.SearchValues<char> IdCharacters = System.Buffers.SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>Whether 18 characters are letters and digits ending with the suffix their first fifteen give.</summary>
    private static bool IsCanonical(ReadOnlySpan<char> id18)
    {
        int upper;
        if (Vector128.IsHardwareAccelerated)
        {
            // Eight characters a vector: 0-7, 8-15 and 10-17 (overlapping), each checked to be a letter or digit; a bit
            // per upper-case letter among the first sixteen.
            ref var first = ref MemoryMarshal.GetReference(MemoryMarshal.Cast<char, ushort>(id18));
            var low = Vector128.LoadUnsafe(ref first);
            var high = Vector128.LoadUnsafe(ref first, 8);
            var tail = Vector128.LoadUnsafe(ref first, 10);
            if (!(LettersOrDigits(low) & LettersOrDigits(high) & LettersOrDigits(tail)).Equals(Vector128<ushort>.AllBitsSet))
            {
                return false;
            }

            upper = (int)(Upper(low).ExtractMostSignificantBits() | (Upper(high).ExtractMostSignificantBits() << 8));
        }
        else
        {
            if (id18.ContainsAnyExcept(IdCharacters))
            {
                return false;
            }

            upper = 0;
            for (var i = 0; i < 15; i++)
            {
                upper |= (char.IsAsciiLetterUpper(id18[i]) ? 1 : 0) << i;
            }
        }

        return SuffixAlphabet[upper & 31] == id18[15] && SuffixAlphabet[(upper >> 5) & 31] == id18[16] && SuffixAlphabet[(upper >> 10) & 31] == id18[17];
    }

    private static Vector128<ushort> Upper(Vector128<ushort> chars) => Vector128.LessThanOrEqual(chars - Vector128.Create((ushort)'A'), Vector128.Create((ushort)25));

    private static Vector128<ushort> LettersOrDigits(Vector128<ushort> chars)
        => Upper(chars)
            | Vector128.LessThanOrEqual(chars - Vector128.Create((ushort)'a'), Vector128.Create((ushort)25))
            | Vector128.LessThanOrEqual(chars - Vector128.Create((ushort)'0'), Vector128.Create((ushort)9));

    /// <summary>The suffix character for one five-character chunk of the first fifteen: a bit per upper-case letter.</summary>
    private static char SuffixChar(ReadOnlySpan<char> id, int chunk)
    {
        var bits = 0;
        var part = id.Slice(chunk * 5, 5);
        for (var j = 0; j < 5; j++)
        {
            bits |= (char.IsAsciiLetterUpper(part[j]) ? 1 : 0) << j;
        }

        return SuffixAlphabet[bits];
    }

    private static void ComputeSuffix(ReadOnlySpan<char> id15, Span<char> suffix)
    {
        for (var chunk = 0; chunk < 3; chunk++)
        {
            suffix[chunk] = SuffixChar(id15, chunk);
        }
    }

    private static string Show(ReadOnlySpan<char> s) => s.Length > 40 ? string.Concat(s[..40], "…") : s.ToString();

    /// <summary>The 18-character form.</summary>
    public override string ToString() => Value;

    /// <inheritdoc/>
    public bool Equals(SalesforceId other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SalesforceId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <inheritdoc/>
    public int CompareTo(SalesforceId other) => string.CompareOrdinal(_value, other._value);

    /// <summary>Equality.</summary>
    public static bool operator ==(SalesforceId left, SalesforceId right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(SalesforceId left, SalesforceId right) => !left.Equals(right);

    /// <summary>Ordering.</summary>
    public static bool operator <(SalesforceId left, SalesforceId right) => left.CompareTo(right) < 0;

    /// <summary>Ordering.</summary>
    public static bool operator >(SalesforceId left, SalesforceId right) => left.CompareTo(right) > 0;

    /// <summary>Ordering.</summary>
    public static bool operator <=(SalesforceId left, SalesforceId right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering.</summary>
    public static bool operator >=(SalesforceId left, SalesforceId right) => left.CompareTo(right) >= 0;

    /// <summary>Parses an id.</summary>
    public static explicit operator SalesforceId(string id) => Parse(id, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The 18-character form.</summary>
    public static implicit operator string(SalesforceId id) => id.Value;
}

/// <summary>Reads and writes <see cref="SalesforceId"/> as a JSON string.</summary>
public sealed class SalesforceIdJsonConverter : JsonConverter<SalesforceId>
{
    /// <inheritdoc/>
    public override SalesforceId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a Salesforce id string, found {reader.TokenType}.");
        }

        Span<char> buffer = stackalloc char[24];
        var length = reader.ValueIsEscaped || reader.ValueSpan.Length > 24 ? -1 : reader.CopyString(buffer);
        var text = length >= 0 ? buffer[..length] : reader.GetString().AsSpan();
        return SalesforceId.TryParse(text, out var id, out var error) ? id : throw new JsonException(error);
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, SalesforceId value, JsonSerializerOptions options)
    {
        if (value.IsEmpty)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value.Value);
        }
    }
}
