namespace Sdk.Runtime.Soql;

/// <summary>
/// Evaluates a SOQL LIKE pattern the way Salesforce does: case-insensitive, <c>%</c> matches any run of characters,
/// <c>_</c> exactly one, and <c>\%</c>, <c>\_</c>, <c>\\</c> match the characters themselves.
/// </summary>
public static class SoqlLikeMatcher
{
    /// <summary>Whether <paramref name="value"/> matches <paramref name="pattern"/>. A null value matches nothing.</summary>
    public static bool IsMatch(string? value, string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return value is not null && Match(value.AsSpan(), pattern.AsSpan());
    }

    private static bool Match(ReadOnlySpan<char> value, ReadOnlySpan<char> pattern)
    {
        // Iterative wildcard matching with backtracking to the last '%'.
        int v = 0, p = 0, starP = -1, starV = -1;
        while (v < value.Length)
        {
            if (p < pattern.Length)
            {
                var c = pattern[p];
                if (c == '%')
                {
                    starP = ++p;
                    starV = v;
                    continue;
                }

                var literal = c == '\\' && p + 1 < pattern.Length;
                var expected = literal ? pattern[p + 1] : c;
                if ((!literal && c == '_') || CharsEqual(expected, value[v]))
                {
                    p += literal ? 2 : 1;
                    v++;
                    continue;
                }
            }

            if (starP < 0)
            {
                return false;
            }

            p = starP;
            v = ++starV;
        }

        while (p < pattern.Length && pattern[p] == '%')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static bool CharsEqual(char a, char b) => a == b || char.ToUpperInvariant(a) == char.ToUpperInvariant(b);
}
