using System.Globalization;
using System.Text;

namespace Sdk.Runtime.Soql.Internal;

internal enum TokenKind
{
    End,
    Identifier,
    String,
    Number,
    Date,
    DateTime,
    Punct,
}

/// <summary>A token: its kind, its text (a string's value, unescaped), and where it starts.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Position, string Raw, bool HasLikeEscape = false)
{
    public bool Is(string keyword) => Kind == TokenKind.Identifier && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

    public bool IsPunct(string punct) => Kind == TokenKind.Punct && Text == punct;
}

/// <summary>Splits SOQL text into tokens.</summary>
internal static class SoqlLexer
{
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                tokens.Add(new Token(TokenKind.End, string.Empty, i, string.Empty));
                return tokens;
            }

            var start = i;
            var c = text[i];
            if (c == '\'')
            {
                tokens.Add(ReadString(text, ref i));
            }
            else if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                tokens.Add(ReadNumberOrDate(text, ref i));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                // A currency literal such as USD1000.50 continues through its decimal point.
                if (i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]) && IsCurrencyPrefix(text.AsSpan(start, i - start)))
                {
                    i++;
                    while (i < text.Length && char.IsAsciiDigit(text[i]))
                    {
                        i++;
                    }
                }

                tokens.Add(new Token(TokenKind.Identifier, text[start..i], start, text[start..i]));
            }
            else
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : string.Empty;
                if (two is "!=" or "<>" or "<=" or ">=")
                {
                    tokens.Add(new Token(TokenKind.Punct, two == "<>" ? "!=" : two, i, two));
                    i += 2;
                }
                else if (c is '(' or ')' or ',' or '.' or '=' or '<' or '>' or ':')
                {
                    tokens.Add(new Token(TokenKind.Punct, c.ToString(), i, c.ToString()));
                    i++;
                }
                else
                {
                    throw SoqlParser.Error(text, i, c.ToString(), "a SOQL token", $"unexpected character '{c}'");
                }
            }
        }
    }

    internal static bool IsCurrencyPrefix(ReadOnlySpan<char> text)
    {
        if (text.Length <= 3 || !char.IsAsciiLetterUpper(text[0]) || !char.IsAsciiLetterUpper(text[1]) || !char.IsAsciiLetterUpper(text[2]))
        {
            return false;
        }

        foreach (var c in text[3..])
        {
            if (!char.IsAsciiDigit(c) && c != '.')
            {
                return false;
            }
        }

        return true;
    }

    private static Token ReadString(string text, ref int i)
    {
        var start = i;
        i++;
        var value = new StringBuilder();
        var likeEscape = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\'')
            {
                i++;
                return new Token(TokenKind.String, value.ToString(), start, text[start..i], likeEscape);
            }

            if (c == '\\')
            {
                if (i + 1 >= text.Length)
                {
                    break;
                }

                var e = text[i + 1];
                switch (e)
                {
                    case 'n' or 'N': value.Append('\n'); break;
                    case 'r' or 'R': value.Append('\r'); break;
                    case 't' or 'T': value.Append('\t'); break;
                    case 'b' or 'B': value.Append('\b'); break;
                    case 'f' or 'F': value.Append('\f'); break;
                    case '"': value.Append('"'); break;
                    case '\'': value.Append('\''); break;
                    case '\\': value.Append('\\'); break;
                    case '%' or '_':
                        // Only meaningful in LIKE (the parser reads LIKE patterns from Raw); an error elsewhere.
                        value.Append(e);
                        likeEscape = true;
                        break;
                    case 'u' or 'U':
                        if (i + 6 <= text.Length && int.TryParse(text.AsSpan(i + 2, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                        {
                            value.Append((char)code);
                            i += 6;
                            continue;
                        }

                        throw SoqlParser.Error(text, i, "\\" + e, "four hex digits after \\u", "invalid unicode escape");
                    default:
                        throw SoqlParser.Error(text, i, "\\" + e, "an escape sequence (\\n \\r \\t \\b \\f \\\" \\' \\\\ \\uXXXX)", $"invalid escape '\\{e}'");
                }

                i += 2;
                continue;
            }

            value.Append(c);
            i++;
        }

        throw SoqlParser.Error(text, start, "'", "a closing quote", "unterminated string literal");
    }

    private static Token ReadNumberOrDate(string text, ref int i)
    {
        var start = i;
        // Dates: yyyy-MM-dd[Thh:mm:ss[.fff](Z|+hh:mm|-hh:mm)]
        if (i + 10 <= text.Length && text[i] != '-' && char.IsAsciiDigit(text[i + 3]) && text[i + 4] == '-' && text[i + 7] == '-')
        {
            i += 10;
            if (i < text.Length && text[i] == 'T')
            {
                i++;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] is ':' or '.' or 'Z' or '+' or '-'))
                {
                    i++;
                }

                var raw = text[start..i];
                if (!DateTimeOffset.TryParseExact(raw, ["yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz"],
                    CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
                {
                    throw SoqlParser.Error(text, start, raw, "a datetime such as 2024-01-02T03:04:05Z", $"invalid datetime '{raw}'");
                }

                return new Token(TokenKind.DateTime, raw, start, raw);
            }

            var date = text[start..i];
            if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                throw SoqlParser.Error(text, start, date, "a date such as 2024-01-02", $"invalid date '{date}'");
            }

            return new Token(TokenKind.Date, date, start, date);
        }

        if (text[i] == '-')
        {
            i++;
        }

        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        if (i < text.Length && text[i] == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        if (i < text.Length && (char.IsAsciiLetter(text[i]) || text[i] == '_'))
        {
            var end = i;
            while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
            {
                end++;
            }

            throw SoqlParser.Error(text, start, text[start..end], "a number or a name", $"unexpected token: {text[start..end]}");
        }

        return new Token(TokenKind.Number, text[start..i], start, text[start..i]);
    }
}
