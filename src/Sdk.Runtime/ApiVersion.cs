using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Sdk.Runtime;

/// <summary>
/// A Salesforce REST API version such as <c>64.0</c>. Salesforce versions are whole numbers: the minor part is always 0.
/// </summary>
/// <remarks>
/// Accepted text forms: <c>64</c>, <c>64.</c>, <c>64.0</c>, <c>v64</c>, <c>v64.</c>, <c>v64.0</c> (the <c>v</c> in either case).
/// Anything else, including a non-zero minor part such as <c>52.1</c>, is rejected.
/// </remarks>
public readonly struct ApiVersion : IEquatable<ApiVersion>, IComparable<ApiVersion>, ISpanParsable<ApiVersion>
{
    /// <summary>The smallest major version this SDK accepts.</summary>
    public const int MinimumMajor = 20;

    /// <summary>The largest major version this SDK accepts.</summary>
    public const int MaximumMajor = 999;

    private const string AcceptedForms = "Accepted forms: '64', '64.', '64.0', 'v64', 'v64.', 'v64.0'.";

    /// <summary>Creates a version from its major number.</summary>
    /// <param name="major">The major number, from <see cref="MinimumMajor"/> to <see cref="MaximumMajor"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="major"/> is out of range.</exception>
    public ApiVersion(int major)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(major, MinimumMajor);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(major, MaximumMajor);
        Major = major;
    }

    /// <summary>
    /// The version used when none is configured: <c>66.0</c> (Spring '26), available on every org today.
    /// </summary>
    public static ApiVersion Default { get; } = new(66);

    /// <summary>The major number, for example 64.</summary>
    public int Major { get; }

    /// <summary>The path segment used in REST URLs, for example <c>v64.0</c>.</summary>
    public string PathSegment => string.Create(CultureInfo.InvariantCulture, $"v{Major}.0");

    /// <summary>Parses a version in one of the accepted forms.</summary>
    /// <exception cref="FormatException">The text is not an accepted form; the message lists the forms.</exception>
    public static ApiVersion Parse(string s) => Parse(s, provider: null);

    /// <inheritdoc/>
    public static ApiVersion Parse(string s, IFormatProvider? provider)
    {
        ArgumentNullException.ThrowIfNull(s);
        return Parse(s.AsSpan(), provider);
    }

    /// <inheritdoc/>
    public static ApiVersion Parse(ReadOnlySpan<char> s, IFormatProvider? provider)
        => TryParse(s, out var version, out var error) ? version : throw new FormatException(error);

    /// <inheritdoc/>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out ApiVersion result)
        => TryParse(s.AsSpan(), provider, out result);

    /// <inheritdoc/>
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out ApiVersion result)
        => TryParse(s, out result, out _);

    /// <summary>Tries to parse a version in one of the accepted forms.</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, out ApiVersion result) => TryParse(s.AsSpan(), out result, out _);

    private static bool TryParse(ReadOnlySpan<char> s, out ApiVersion result, out string error)
    {
        result = default;
        var text = s.ToString();
        var span = s.Trim();
        if (span.Length > 0 && (span[0] == 'v' || span[0] == 'V'))
        {
            span = span[1..];
        }

        var dot = span.IndexOf('.');
        var majorPart = dot < 0 ? span : span[..dot];
        if (dot >= 0)
        {
            var minor = span[(dot + 1)..];
            if (!(minor.IsEmpty || minor.SequenceEqual("0")))
            {
                error = $"'{text}' is not a Salesforce API version: the minor part must be 0 (Salesforce versions are whole numbers). {AcceptedForms}";
                return false;
            }
        }

        if (majorPart.IsEmpty || majorPart.Length > 3 || !IsAsciiDigits(majorPart)
            || !int.TryParse(majorPart, NumberStyles.None, CultureInfo.InvariantCulture, out var major))
        {
            error = $"'{text}' is not a Salesforce API version. {AcceptedForms}";
            return false;
        }

        if (major < MinimumMajor)
        {
            error = $"API version '{text}' is older than {MinimumMajor}.0, the oldest this SDK supports. {AcceptedForms}";
            return false;
        }

        result = new ApiVersion(major);
        error = string.Empty;
        return true;
    }

    private static bool IsAsciiDigits(ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The version as Salesforce writes it, for example <c>64.0</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.0");

    /// <inheritdoc/>
    public bool Equals(ApiVersion other) => Major == other.Major;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ApiVersion other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Major;

    /// <inheritdoc/>
    public int CompareTo(ApiVersion other) => Major.CompareTo(other.Major);

    /// <summary>Equality.</summary>
    public static bool operator ==(ApiVersion left, ApiVersion right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(ApiVersion left, ApiVersion right) => !left.Equals(right);

    /// <summary>Ordering.</summary>
    public static bool operator <(ApiVersion left, ApiVersion right) => left.Major < right.Major;

    /// <summary>Ordering.</summary>
    public static bool operator >(ApiVersion left, ApiVersion right) => left.Major > right.Major;

    /// <summary>Ordering.</summary>
    public static bool operator <=(ApiVersion left, ApiVersion right) => left.Major <= right.Major;

    /// <summary>Ordering.</summary>
    public static bool operator >=(ApiVersion left, ApiVersion right) => left.Major >= right.Major;
}
