using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Sdk.Generator.Json;

/// <summary>A JSON value with the offset where it starts (for diagnostics).</summary>
internal abstract class JNode
{
    protected JNode(int offset) => Offset = offset;

    public int Offset { get; }
}

internal sealed class JObject : JNode
{
    private Dictionary<string, JNode>? _index;

    public JObject(int offset, List<KeyValuePair<string, JNode>> members)
        : base(offset) => Members = members;

    public List<KeyValuePair<string, JNode>> Members { get; }

    public JNode? this[string key]
    {
        get
        {
            if (Members.Count <= 8)
            {
                foreach (var m in Members)
                {
                    if (string.Equals(m.Key, key, StringComparison.Ordinal))
                    {
                        return m.Value;
                    }
                }

                return null;
            }

            if (_index is null)
            {
                _index = new Dictionary<string, JNode>(Members.Count, StringComparer.Ordinal);
                foreach (var m in Members)
                {
                    _index[m.Key] = m.Value;
                }
            }

            return _index.TryGetValue(key, out var v) ? v : null;
        }
    }

    public string? Str(string key) => this[key] is JString s ? s.Value : null;

    public bool Bool(string key) => this[key] switch
    {
        JBool b => b.Value,
        JString s => string.Equals(s.Value, "true", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    public int Int(string key) => this[key] is JNumber n && n.TryInt(out var i) ? i : 0;

    public JArray? Arr(string key) => this[key] as JArray;

    public JObject? Obj(string key) => this[key] as JObject;
}

internal sealed class JArray : JNode
{
    public JArray(int offset, List<JNode> items)
        : base(offset) => Items = items;

    public List<JNode> Items { get; }
}

internal sealed class JString : JNode
{
    public JString(int offset, string value)
        : base(offset) => Value = value;

    public string Value { get; }
}

internal sealed class JNumber : JNode
{
    public JNumber(int offset, string raw)
        : base(offset) => Raw = raw;

    public string Raw { get; }

    public bool TryInt(out int value)
    {
        if (int.TryParse(Raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        if (double.TryParse(Raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= int.MinValue && d <= int.MaxValue)
        {
            value = (int)d;
            return true;
        }

        return false;
    }
}

internal sealed class JBool : JNode
{
    public JBool(int offset, bool value)
        : base(offset) => Value = value;

    public bool Value { get; }
}

internal sealed class JNull : JNode
{
    public JNull(int offset)
        : base(offset)
    {
    }
}

/// <summary>A JSON syntax error at an offset.</summary>
internal sealed class JsonSyntaxException : Exception
{
    public JsonSyntaxException(string message, int offset)
        : base(message) => Offset = offset;

    public int Offset { get; }
}

/// <summary>
/// A small, strict JSON reader (RFC 8259) over a string. The generator cannot load System.Text.Json inside every compiler
/// host, so it reads describe files with this. Errors carry the offset; <see cref="LineAndColumn"/> turns it into a position.
/// </summary>
internal sealed class LiteJsonParser
{
    private readonly string _text;
    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);
    private readonly StringBuilder _builder = new();
    private int _pos;
    private int _depth;

    private LiteJsonParser(string text) => _text = text;

    public static JNode Parse(string text)
    {
        var parser = new LiteJsonParser(text);
        parser.SkipWhitespace();
        if (parser._pos < text.Length && text[parser._pos] == '\uFEFF')
        {
            parser._pos++;
            parser.SkipWhitespace();
        }

        var value = parser.ParseValue();
        parser.SkipWhitespace();
        if (parser._pos != text.Length)
        {
            throw new JsonSyntaxException($"Unexpected '{parser.Show()}' after the end of the JSON value.", parser._pos);
        }

        return value;
    }

    public static (int Line, int Column) LineAndColumn(string text, int offset)
    {
        int line = 1, column = 1;
        for (var i = 0; i < offset && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }

        return (line, column);
    }

    private JNode ParseValue()
    {
        SkipWhitespace();
        if (_pos >= _text.Length)
        {
            throw new JsonSyntaxException("The JSON ended where a value was expected.", _pos);
        }

        var start = _pos;
        switch (_text[_pos])
        {
            case '{':
                return ParseObject();
            case '[':
                return ParseArray();
            case '"':
                return new JString(start, ParseString(intern: false));
            case 't':
                Expect("true");
                return new JBool(start, true);
            case 'f':
                Expect("false");
                return new JBool(start, false);
            case 'n':
                Expect("null");
                return new JNull(start);
            default:
                if (_text[_pos] == '-' || (_text[_pos] >= '0' && _text[_pos] <= '9'))
                {
                    return ParseNumber();
                }

                throw new JsonSyntaxException($"Unexpected '{Show()}' where a value was expected.", _pos);
        }
    }

    private JObject ParseObject()
    {
        var start = _pos++;
        Enter(start);
        var members = new List<KeyValuePair<string, JNode>>();
        SkipWhitespace();
        if (Peek() == '}')
        {
            _pos++;
            _depth--;
            return new JObject(start, members);
        }

        while (true)
        {
            SkipWhitespace();
            if (Peek() != '"')
            {
                throw new JsonSyntaxException($"Expected a property name in quotes, found '{Show()}'.", _pos);
            }

            var key = ParseString(intern: true);
            SkipWhitespace();
            if (Peek() != ':')
            {
                throw new JsonSyntaxException($"Expected ':' after property \"{key}\", found '{Show()}'.", _pos);
            }

            _pos++;
            members.Add(new KeyValuePair<string, JNode>(key, ParseValue()));
            SkipWhitespace();
            var c = Peek();
            _pos++;
            if (c == ',')
            {
                continue;
            }

            if (c == '}')
            {
                _depth--;
                return new JObject(start, members);
            }

            _pos--;
            throw new JsonSyntaxException($"Expected ',' or '}}' in an object, found '{Show()}'.", _pos);
        }
    }

    private JArray ParseArray()
    {
        var start = _pos++;
        Enter(start);
        var items = new List<JNode>();
        SkipWhitespace();
        if (Peek() == ']')
        {
            _pos++;
            _depth--;
            return new JArray(start, items);
        }

        while (true)
        {
            items.Add(ParseValue());
            SkipWhitespace();
            var c = Peek();
            _pos++;
            if (c == ',')
            {
                continue;
            }

            if (c == ']')
            {
                _depth--;
                return new JArray(start, items);
            }

            _pos--;
            throw new JsonSyntaxException($"Expected ',' or ']' in an array, found '{Show()}'.", _pos);
        }
    }

    private void Enter(int offset)
    {
        if (++_depth > 256)
        {
            throw new JsonSyntaxException("The JSON nests deeper than 256 levels.", offset);
        }
    }

    private string ParseString(bool intern)
    {
        var start = ++_pos;
        // Fast path: no escapes.
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '"')
            {
                var length = _pos - start;
                _pos++;
                if (!intern)
                {
                    return _text.Substring(start, length);
                }

                var s = _text.Substring(start, length);
                if (_keys.TryGetValue(s, out var existing))
                {
                    return existing;
                }

                _keys[s] = s;
                return s;
            }

            if (c == '\\')
            {
                break;
            }

            if (c < ' ')
            {
                throw new JsonSyntaxException("A control character must be escaped inside a string.", _pos);
            }

            _pos++;
        }

        _builder.Clear();
        _builder.Append(_text, start, _pos - start);
        while (_pos < _text.Length)
        {
            var c = _text[_pos++];
            if (c == '"')
            {
                return _builder.ToString();
            }

            if (c < ' ')
            {
                throw new JsonSyntaxException("A control character must be escaped inside a string.", _pos - 1);
            }

            if (c != '\\')
            {
                _builder.Append(c);
                continue;
            }

            if (_pos >= _text.Length)
            {
                break;
            }

            var e = _text[_pos++];
            switch (e)
            {
                case '"': _builder.Append('"'); break;
                case '\\': _builder.Append('\\'); break;
                case '/': _builder.Append('/'); break;
                case 'b': _builder.Append('\b'); break;
                case 'f': _builder.Append('\f'); break;
                case 'n': _builder.Append('\n'); break;
                case 'r': _builder.Append('\r'); break;
                case 't': _builder.Append('\t'); break;
                case 'u':
                    if (_pos + 4 > _text.Length || !int.TryParse(_text.Substring(_pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                    {
                        throw new JsonSyntaxException("A \\u escape needs four hex digits.", _pos - 2);
                    }

                    _builder.Append((char)code);
                    _pos += 4;
                    break;
                default:
                    throw new JsonSyntaxException($"'\\{e}' is not a JSON escape.", _pos - 2);
            }
        }

        throw new JsonSyntaxException("The JSON ended inside a string.", start - 1);
    }

    private JNumber ParseNumber()
    {
        var start = _pos;
        if (Peek() == '-')
        {
            _pos++;
        }

        if (!Digits())
        {
            throw new JsonSyntaxException("A number needs digits.", start);
        }

        if (Peek() == '.')
        {
            _pos++;
            if (!Digits())
            {
                throw new JsonSyntaxException("A number needs digits after the decimal point.", start);
            }
        }

        if (Peek() == 'e' || Peek() == 'E')
        {
            _pos++;
            if (Peek() == '+' || Peek() == '-')
            {
                _pos++;
            }

            if (!Digits())
            {
                throw new JsonSyntaxException("A number needs digits in its exponent.", start);
            }
        }

        return new JNumber(start, _text.Substring(start, _pos - start));
    }

    private bool Digits()
    {
        var start = _pos;
        while (_pos < _text.Length && _text[_pos] >= '0' && _text[_pos] <= '9')
        {
            _pos++;
        }

        return _pos > start;
    }

    private void Expect(string word)
    {
        if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0)
        {
            throw new JsonSyntaxException($"Unexpected '{Show()}' where a value was expected.", _pos);
        }

        _pos += word.Length;
    }

    private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private string Show() => _pos >= _text.Length ? "end of file" : _text[_pos].ToString();

    private void SkipWhitespace()
    {
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
            {
                _pos++;
            }
            else
            {
                return;
            }
        }
    }
}
