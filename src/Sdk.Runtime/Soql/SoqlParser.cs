using System.Globalization;
using Sdk.Runtime.Soql.Internal;

namespace Sdk.Runtime.Soql;

/// <summary>Parses SOQL text into a <see cref="SoqlQuery"/>. Errors give the position, the token found and what was expected.</summary>
public sealed class SoqlParser
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "LIKE", "INCLUDES", "EXCLUDES", "WITH", "GROUP", "BY", "HAVING", "ORDER",
        "LIMIT", "OFFSET", "FOR", "ASC", "DESC", "NULLS", "TYPEOF", "WHEN", "THEN", "ELSE", "END", "USING", "ALL", "UPDATE", "TRUE",
        "FALSE", "NULL",
    };

    // Words that can never start a name. GROUP, ORDER and UPDATE are reserved but also name objects (Group, Order) or fields.
    private static readonly HashSet<string> NeverNames = new(Reserved.Except(["GROUP", "ORDER", "UPDATE", "BY", "ALL"], StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);

    private readonly string _text;
    private readonly List<Token> _tokens;
    private int _index;

    private SoqlParser(string text)
    {
        _text = text;
        _tokens = SoqlLexer.Tokenize(text);
    }

    /// <summary>Parses a SELECT statement.</summary>
    /// <exception cref="SoqlParseException">The text is not valid SOQL; the exception says where and why.</exception>
    public static SoqlQuery Parse(string soql)
    {
        ArgumentNullException.ThrowIfNull(soql);
        var parser = new SoqlParser(soql);
        var query = parser.ParseQuery(subquery: false);
        parser.Expect(TokenKind.End, "the end of the query");
        return query;
    }

    /// <summary>Parses a condition (the text of a WHERE clause).</summary>
    /// <exception cref="SoqlParseException">The text is not a valid condition.</exception>
    public static SoqlCondition ParseCondition(string condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var parser = new SoqlParser(condition);
        var result = parser.ParseCondition();
        parser.Expect(TokenKind.End, "the end of the condition");
        return result;
    }

    private Token Current => _tokens[_index];

    private Token Next => _tokens[Math.Min(_index + 1, _tokens.Count - 1)];

    private Token Advance() => _tokens[_index++];

    private SoqlQuery ParseQuery(bool subquery)
    {
        ExpectKeyword("SELECT");
        var select = new List<SoqlSelectItem> { ParseSelectItem() };
        while (Current.IsPunct(","))
        {
            Advance();
            select.Add(ParseSelectItem());
        }

        ExpectKeyword("FROM");
        var from = ParsePath("an object name");
        string? alias = null;
        if (Current.Kind == TokenKind.Identifier && !Reserved.Contains(Current.Text))
        {
            alias = Advance().Text;
        }

        var joins = new List<SoqlFromItem>();
        while (Current.IsPunct(","))
        {
            Advance();
            var path = ParsePath("a relationship path");
            string? joinAlias = null;
            if (Current.Kind == TokenKind.Identifier && !Reserved.Contains(Current.Text))
            {
                joinAlias = Advance().Text;
            }

            joins.Add(new SoqlFromItem(path, joinAlias));
        }

        string? scope = null;
        if (Current.Is("USING"))
        {
            Advance();
            ExpectKeyword("SCOPE");
            scope = ExpectIdentifier("a filter scope").Text;
        }

        SoqlCondition? where = null;
        if (Current.Is("WHERE"))
        {
            Advance();
            where = ParseCondition();
        }

        SoqlWith? with = null;
        if (Current.Is("WITH"))
        {
            Advance();
            with = ParseWith();
        }

        SoqlGroupBy? groupBy = null;
        if (Current.Is("GROUP"))
        {
            Advance();
            ExpectKeyword("BY");
            groupBy = ParseGroupBy();
        }

        SoqlCondition? having = null;
        if (Current.Is("HAVING"))
        {
            Advance();
            having = ParseCondition();
        }

        var orderBy = new List<SoqlOrderBy>();
        if (Current.Is("ORDER"))
        {
            Advance();
            ExpectKeyword("BY");
            orderBy.Add(ParseOrderItem());
            while (Current.IsPunct(","))
            {
                Advance();
                orderBy.Add(ParseOrderItem());
            }
        }

        int? limit = null;
        if (Current.Is("LIMIT"))
        {
            Advance();
            limit = ExpectInteger("a row count after LIMIT");
        }

        int? offset = null;
        if (Current.Is("OFFSET"))
        {
            Advance();
            offset = ExpectInteger("a row count after OFFSET");
        }

        SoqlFor? forClause = null;
        if (Current.Is("FOR"))
        {
            Advance();
            var what = ExpectIdentifier("VIEW, REFERENCE or UPDATE", allowReserved: true);
            forClause = what.Text.ToUpperInvariant() switch
            {
                "VIEW" => SoqlFor.View,
                "REFERENCE" => SoqlFor.Reference,
                "UPDATE" => SoqlFor.Update,
                _ => throw Fail(what, "VIEW, REFERENCE or UPDATE"),
            };
        }

        var allRows = false;
        if (Current.Is("ALL") && Next.Is("ROWS"))
        {
            Advance();
            Advance();
            allRows = true;
        }

        if (!subquery && Current.Kind != TokenKind.End)
        {
            throw Fail(Current, "the end of the query");
        }

        return new SoqlQuery
        {
            Select = SoqlList.From(select),
            From = from,
            FromAlias = alias,
            Joins = SoqlList.From(joins),
            UsingScope = scope,
            Where = where,
            With = with,
            GroupBy = groupBy,
            Having = having,
            OrderBy = SoqlList.From(orderBy),
            Limit = limit,
            Offset = offset,
            For = forClause,
            AllRows = allRows,
        };
    }

    private SoqlSelectItem ParseSelectItem()
    {
        if (Current.IsPunct("("))
        {
            Advance();
            var sub = ParseQuery(subquery: true);
            Expect(")", "')' to close the subquery");
            return new SoqlSubquery(sub);
        }

        if (Current.Is("TYPEOF"))
        {
            Advance();
            var field = ParsePath("a polymorphic relationship after TYPEOF");
            var whens = new List<SoqlTypeOfWhen>();
            while (Current.Is("WHEN"))
            {
                Advance();
                var type = ExpectIdentifier("an object type after WHEN").Text;
                ExpectKeyword("THEN");
                whens.Add(new SoqlTypeOfWhen(type, ParseNameList()));
            }

            if (whens.Count == 0)
            {
                throw Fail(Current, "WHEN");
            }

            var elseFields = SoqlList<string>.Empty;
            if (Current.Is("ELSE"))
            {
                Advance();
                elseFields = ParseNameList();
            }

            ExpectKeyword("END");
            return new SoqlTypeOf(field, SoqlList.From(whens), elseFields);
        }

        var expression = ParseExpression();
        string? alias = null;
        if (Current.Kind == TokenKind.Identifier && !Reserved.Contains(Current.Text))
        {
            alias = Advance().Text;
        }

        return expression switch
        {
            SoqlField f => new SoqlFieldItem(f, alias),
            SoqlFunction fn => new SoqlFunctionItem(fn, alias),
            _ => throw Fail(Current, "a field, a function or a subquery"),
        };
    }

    private SoqlList<string> ParseNameList()
    {
        var names = new List<string> { ParsePath("a field name") };
        while (Current.IsPunct(","))
        {
            Advance();
            names.Add(ParsePath("a field name"));
        }

        return SoqlList.From(names);
    }

    private SoqlExpression ParseExpression()
    {
        if (Current.Kind == TokenKind.Identifier && Next.IsPunct("("))
        {
            var name = Advance().Text;
            Advance();
            var args = new List<SoqlExpression>();
            if (!Current.IsPunct(")"))
            {
                args.Add(ParseArgument());
                while (Current.IsPunct(","))
                {
                    Advance();
                    args.Add(ParseArgument());
                }
            }

            Expect(")", $"')' to close {name}(");
            return new SoqlFunction(name, SoqlList.From(args));
        }

        return new SoqlField(ParsePath("a field name"));
    }

    private SoqlExpression ParseArgument()
        => Current.Kind is TokenKind.String or TokenKind.Number or TokenKind.Date or TokenKind.DateTime ? ParseValue() : ParseExpression();

    private string ParsePath(string what)
    {
        if (Current.Kind == TokenKind.Identifier && NeverNames.Contains(Current.Text))
        {
            throw Fail(Current, what);
        }

        var first = ExpectIdentifier(what, allowReserved: true).Text;
        var path = first;
        while (Current.IsPunct("."))
        {
            Advance();
            path += "." + ExpectIdentifier("a field name after '.'", allowReserved: true).Text;
        }

        return path;
    }

    private SoqlCondition ParseCondition()
    {
        var first = ParseUnary();
        if (!Current.Is("AND") && !Current.Is("OR"))
        {
            return first;
        }

        var op = Current.Text.ToUpperInvariant();
        var operands = new List<SoqlCondition> { first };
        while (Current.Is(op))
        {
            Advance();
            operands.Add(ParseUnary());
        }

        if (Current.Is("AND") || Current.Is("OR"))
        {
            throw Fail(Current, $"'{op}' or a closing parenthesis (SOQL needs parentheses when AND and OR are mixed)");
        }

        return op == "AND" ? new SoqlAnd(SoqlList.From(operands)) : new SoqlOr(SoqlList.From(operands));
    }

    private SoqlCondition ParseUnary()
    {
        if (Current.Is("NOT"))
        {
            Advance();
            return new SoqlNot(ParseUnary());
        }

        if (Current.IsPunct("("))
        {
            Advance();
            var inner = ParseCondition();
            Expect(")", "')' to close the condition");
            return inner;
        }

        return ParseFieldCondition();
    }

    private SoqlCondition ParseFieldCondition()
    {
        var left = ParseExpression();
        var token = Current;
        if (token.Kind == TokenKind.Punct && token.Text is "=" or "!=" or "<" or "<=" or ">" or ">=")
        {
            Advance();
            var op = token.Text switch
            {
                "=" => SoqlOperator.Equal,
                "!=" => SoqlOperator.NotEqual,
                "<" => SoqlOperator.LessThan,
                "<=" => SoqlOperator.LessThanOrEqual,
                ">" => SoqlOperator.GreaterThan,
                _ => SoqlOperator.GreaterThanOrEqual,
            };
            return new SoqlComparison(left, op, ParseValue());
        }

        if (token.Is("LIKE"))
        {
            Advance();
            var pattern = Current;
            if (pattern.Kind != TokenKind.String)
            {
                throw Fail(pattern, "a quoted pattern after LIKE");
            }

            Advance();
            return new SoqlLike(left, LikePattern(pattern.Raw));
        }

        var negated = false;
        if (token.Is("NOT") && Next.Is("IN"))
        {
            Advance();
            negated = true;
        }

        if (Current.Is("IN"))
        {
            Advance();
            Expect("(", "'(' after IN");
            if (Current.Is("SELECT"))
            {
                var sub = ParseQuery(subquery: true);
                Expect(")", "')' to close the subquery");
                return new SoqlIn(left, negated, SoqlList<SoqlValue>.Empty, sub);
            }

            var values = new List<SoqlValue> { ParseValue() };
            while (Current.IsPunct(","))
            {
                Advance();
                values.Add(ParseValue());
            }

            Expect(")", "')' to close the IN list");
            return new SoqlIn(left, negated, SoqlList.From(values));
        }

        if (Current.Is("INCLUDES") || Current.Is("EXCLUDES"))
        {
            var excludes = Advance().Is("EXCLUDES");
            Expect("(", "'(' after INCLUDES or EXCLUDES");
            var values = new List<string> { ExpectString("a quoted value") };
            while (Current.IsPunct(","))
            {
                Advance();
                values.Add(ExpectString("a quoted value"));
            }

            Expect(")", "')' to close the value list");
            return new SoqlIncludes(left, excludes, SoqlList.From(values));
        }

        throw Fail(Current, "an operator (=, !=, <, <=, >, >=, LIKE, IN, NOT IN, INCLUDES, EXCLUDES)");
    }

    private SoqlValue ParseValue()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.String:
                Advance();
                return token.HasLikeEscape
                    ? throw Fail(token, "a string without \\% or \\_ (those escapes are only valid in LIKE)")
                    : new SoqlString(token.Text);
            case TokenKind.Number:
                Advance();
                return decimal.TryParse(token.Text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)
                    ? new SoqlNumber(n)
                    : throw Fail(token, "a number");
            case TokenKind.Date:
                Advance();
                return new SoqlDateValue(DateOnly.ParseExact(token.Text, "yyyy-MM-dd", CultureInfo.InvariantCulture));
            case TokenKind.DateTime:
                Advance();
                return new SoqlDateTimeValue(DateTimeOffset.Parse(token.Text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
            case TokenKind.Identifier:
                if (token.Is("NULL"))
                {
                    Advance();
                    return SoqlNull.Instance;
                }

                if (token.Is("TRUE") || token.Is("FALSE"))
                {
                    Advance();
                    return new SoqlBoolean(token.Is("TRUE"));
                }

                if (SoqlDate.Names.TryGetValue(token.Text, out var takesN))
                {
                    Advance();
                    var name = token.Text.ToUpperInvariant();
                    if (!takesN)
                    {
                        return new SoqlDateLiteral(name);
                    }

                    Expect(":", $"':' and a number after {name}");
                    return new SoqlDateLiteral(name, ExpectInteger($"a number after {name}:"));
                }

                if (SoqlLexer.IsCurrencyPrefix(token.Text))
                {
                    Advance();
                    return new SoqlCurrency(token.Text[..3], decimal.Parse(token.Text.AsSpan(3), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture));
                }

                break;
        }

        throw Fail(token, "a value (a quoted string, a number, a date, true, false, null or a date literal)");
    }

    /// <summary>The pattern of a LIKE string: the SOQL escapes resolved, LIKE's own (\%, \_, \\) kept.</summary>
    private static string LikePattern(string raw)
    {
        var sb = new System.Text.StringBuilder(raw.Length);
        for (var i = 1; i < raw.Length - 1; i++)
        {
            var c = raw[i];
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            var e = raw[++i];
            switch (e)
            {
                case '%' or '_' or '\\': sb.Append('\\').Append(e); break;
                case 'n' or 'N': sb.Append('\n'); break;
                case 'r' or 'R': sb.Append('\r'); break;
                case 't' or 'T': sb.Append('\t'); break;
                case 'b' or 'B': sb.Append('\b'); break;
                case 'f' or 'F': sb.Append('\f'); break;
                case 'u' or 'U':
                    sb.Append((char)int.Parse(raw.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                default: sb.Append(e); break;
            }
        }

        return sb.ToString();
    }

    private SoqlWith ParseWith()
    {
        var token = ExpectIdentifier("SECURITY_ENFORCED, USER_MODE, SYSTEM_MODE or DATA CATEGORY");
        switch (token.Text.ToUpperInvariant())
        {
            case "SECURITY_ENFORCED":
                return new SoqlWithSecurity(SoqlSecurityMode.SecurityEnforced);
            case "USER_MODE":
                return new SoqlWithSecurity(SoqlSecurityMode.UserMode);
            case "SYSTEM_MODE":
                return new SoqlWithSecurity(SoqlSecurityMode.SystemMode);
            case "DATA":
                ExpectKeyword("CATEGORY");
                var filters = new List<SoqlDataCategoryFilter> { ParseCategoryFilter() };
                while (Current.Is("AND"))
                {
                    Advance();
                    filters.Add(ParseCategoryFilter());
                }

                return new SoqlWithDataCategory(SoqlList.From(filters));
            default:
                throw Fail(token, "SECURITY_ENFORCED, USER_MODE, SYSTEM_MODE or DATA CATEGORY");
        }
    }

    private SoqlDataCategoryFilter ParseCategoryFilter()
    {
        var group = ExpectIdentifier("a data category group").Text;
        var selector = ExpectIdentifier("AT, ABOVE, BELOW or ABOVE_OR_BELOW");
        if (selector.Text.ToUpperInvariant() is not ("AT" or "ABOVE" or "BELOW" or "ABOVE_OR_BELOW"))
        {
            throw Fail(selector, "AT, ABOVE, BELOW or ABOVE_OR_BELOW");
        }

        var categories = new List<string>();
        if (Current.IsPunct("("))
        {
            Advance();
            categories.Add(ExpectIdentifier("a category").Text);
            while (Current.IsPunct(","))
            {
                Advance();
                categories.Add(ExpectIdentifier("a category").Text);
            }

            Expect(")", "')' to close the categories");
        }
        else
        {
            categories.Add(ExpectIdentifier("a category").Text);
        }

        return new SoqlDataCategoryFilter(group, selector.Text.ToUpperInvariant(), SoqlList.From(categories));
    }

    private SoqlGroupBy ParseGroupBy()
    {
        var kind = SoqlGroupByKind.Plain;
        if ((Current.Is("ROLLUP") || Current.Is("CUBE")) && Next.IsPunct("("))
        {
            kind = Advance().Is("ROLLUP") ? SoqlGroupByKind.Rollup : SoqlGroupByKind.Cube;
            Advance();
            var inner = new List<SoqlExpression> { ParseExpression() };
            while (Current.IsPunct(","))
            {
                Advance();
                inner.Add(ParseExpression());
            }

            Expect(")", "')' to close ROLLUP or CUBE");
            return new SoqlGroupBy(kind, SoqlList.From(inner));
        }

        var items = new List<SoqlExpression> { ParseExpression() };
        while (Current.IsPunct(","))
        {
            Advance();
            items.Add(ParseExpression());
        }

        return new SoqlGroupBy(kind, SoqlList.From(items));
    }

    private SoqlOrderBy ParseOrderItem()
    {
        var expression = ParseExpression();
        var descending = false;
        var explicitDirection = false;
        if (Current.Is("ASC") || Current.Is("DESC"))
        {
            descending = Advance().Is("DESC");
            explicitDirection = true;
        }

        SoqlNulls? nulls = null;
        if (Current.Is("NULLS"))
        {
            Advance();
            var which = ExpectIdentifier("FIRST or LAST");
            nulls = which.Is("FIRST") ? SoqlNulls.First : which.Is("LAST") ? SoqlNulls.Last : throw Fail(which, "FIRST or LAST");
        }

        return new SoqlOrderBy(expression, descending, nulls, explicitDirection);
    }

    private void ExpectKeyword(string keyword)
    {
        if (!Current.Is(keyword))
        {
            throw Fail(Current, keyword);
        }

        Advance();
    }

    private void Expect(string punct, string what)
    {
        if (!Current.IsPunct(punct))
        {
            throw Fail(Current, what);
        }

        Advance();
    }

    private void Expect(TokenKind kind, string what)
    {
        if (Current.Kind != kind)
        {
            throw Fail(Current, what);
        }
    }

    private Token ExpectIdentifier(string what, bool allowReserved = false)
    {
        if (Current.Kind != TokenKind.Identifier || (!allowReserved && Reserved.Contains(Current.Text)))
        {
            throw Fail(Current, what);
        }

        return Advance();
    }

    private string ExpectString(string what)
    {
        if (Current.Kind != TokenKind.String)
        {
            throw Fail(Current, what);
        }

        return Advance().Text;
    }

    private int ExpectInteger(string what)
    {
        var token = Current;
        if (token.Kind != TokenKind.Number || !int.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw Fail(token, what);
        }

        Advance();
        return value;
    }

    private SoqlParseException Fail(Token token, string expected)
        => Error(_text, token.Position, token.Raw, expected, token.Kind == TokenKind.End ? "unexpected end of query" : $"unexpected token: {token.Raw}");

    internal static SoqlParseException Error(string text, int position, string token, string expected, string problem)
    {
        int line = 1, column = 1;
        for (var i = 0; i < position && i < text.Length; i++)
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

        return new SoqlParseException($"{problem} at line {line}, column {column}: expected {expected}.", position, line, column, token, expected);
    }
}
