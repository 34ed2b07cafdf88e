using System.Collections;
using System.Runtime.CompilerServices;
using System.Text;
using Sdk.Runtime.Internal;

namespace Sdk.Runtime.Soql;

/// <summary>
/// Builds SOQL text from an interpolated string in which every hole is a value, written as an escaped literal:
/// <c>$"SELECT Id FROM Account WHERE Name = {name}"</c> gives <c>… WHERE Name = 'O\'Brien'</c>. A collection becomes
/// <c>('a', 'b')</c>. Structure (names, keywords) can come only from the literal parts, or from <see cref="SoqlName"/>.
/// </summary>
[InterpolatedStringHandler]
public ref struct SoqlInterpolatedStringHandler
{
    private readonly StringBuilder _builder;

    /// <summary>Creates the handler (called by the compiler).</summary>
    public SoqlInterpolatedStringHandler(int literalLength, int formattedCount)
    {
        _builder = new StringBuilder(literalLength + formattedCount * 16);
    }

    /// <summary>Appends a literal part as it is (called by the compiler).</summary>
    public readonly void AppendLiteral(string value) => _builder.Append(value);

    /// <summary>Appends a hole as a SOQL literal (called by the compiler).</summary>
    public readonly void AppendFormatted<T>(T value) => Append(_builder, value);

    /// <summary>Appends a hole as a SOQL literal; the format is ignored, since SOQL fixes the literal formats.</summary>
    public readonly void AppendFormatted<T>(T value, string? format) => Append(_builder, value);

    /// <summary>The SOQL text.</summary>
    public override readonly string ToString() => _builder.ToString();

    internal static void Append<T>(StringBuilder sb, T value)
    {
        switch (value)
        {
            case SoqlName name:
                sb.Append(name.Value);
                return;
            case SoqlLikePattern pattern:
                SoqlLiteral.AppendLikePattern(sb, pattern.Pattern);
                return;
            case string s:
                SoqlLiteral.AppendString(sb, s);
                return;
            case IEnumerable sequence when value is not Records.IPicklistValue:
                var items = sequence.Cast<object?>().ToList();
                if (items.Count == 0)
                {
                    throw new ArgumentException("An empty collection cannot be written as a SOQL IN list: 'IN ()' is not valid SOQL. Check for an empty collection before querying.", nameof(value));
                }

                sb.Append('(');
                for (var i = 0; i < items.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }

                    SoqlWriter.WriteValue(sb, SoqlLiteral.From(items[i]));
                }

                sb.Append(')');
                return;
            default:
                SoqlWriter.WriteValue(sb, SoqlLiteral.From(value));
                return;
        }
    }
}

/// <summary>An API name or dotted path, checked to be only letters, digits and underscores, for use as structure in interpolated SOQL.</summary>
public readonly struct SoqlName
{
    private SoqlName(string value) => Value = value;

    /// <summary>The name.</summary>
    public string Value { get; }

    /// <summary>Checks and wraps a name or path (<c>Account.Owner.Name</c>).</summary>
    /// <exception cref="ArgumentException">A part is not an API name.</exception>
    public static SoqlName Of(string nameOrPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(nameOrPath);
        foreach (var part in nameOrPath.Split('.'))
        {
            if (!ApiNames.IsValid(part))
            {
                throw new ArgumentException($"'{nameOrPath}' is not an API name or path.", nameof(nameOrPath));
            }
        }

        return new SoqlName(nameOrPath);
    }

    /// <inheritdoc/>
    public override string ToString() => Value;
}

/// <summary>A LIKE pattern built from literal text, for interpolated SOQL: <c>$"… WHERE Name LIKE {SoqlLikePattern.StartsWith(prefix)}"</c>.</summary>
public readonly struct SoqlLikePattern
{
    private SoqlLikePattern(string pattern) => Pattern = pattern;

    /// <summary>The pattern, with LIKE escapes (<c>\%</c>, <c>\_</c>, <c>\\</c>).</summary>
    public string Pattern { get; }

    /// <summary>Values that start with <paramref name="text"/>.</summary>
    public static SoqlLikePattern StartsWith(string text) => new(SoqlLiteral.EscapeLike(text) + "%");

    /// <summary>Values that end with <paramref name="text"/>.</summary>
    public static SoqlLikePattern EndsWith(string text) => new("%" + SoqlLiteral.EscapeLike(text));

    /// <summary>Values that contain <paramref name="text"/>.</summary>
    public static SoqlLikePattern Contains(string text) => new("%" + SoqlLiteral.EscapeLike(text) + "%");

    /// <summary>Values equal to <paramref name="text"/> (case-insensitively, as LIKE compares).</summary>
    public static SoqlLikePattern Exactly(string text) => new(SoqlLiteral.EscapeLike(text));

    /// <summary>A pattern with its own wildcards; quotes in it are still escaped.</summary>
    public static SoqlLikePattern Raw(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return new(pattern);
    }

    /// <inheritdoc/>
    public override string ToString() => Pattern;
}
