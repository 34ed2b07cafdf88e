using System.Globalization;
using System.Text;

namespace Sdk.Runtime.Soql;

/// <summary>Writes a syntax tree as SOQL text: keywords upper case, names as given, values as escaped literals.</summary>
public static class SoqlWriter
{
    /// <summary>The SOQL text of a query.</summary>
    public static string Write(SoqlQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sb = new StringBuilder(128);
        WriteQuery(sb, query);
        return sb.ToString();
    }

    /// <summary>The SOQL text of a condition.</summary>
    public static string Write(SoqlCondition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var sb = new StringBuilder(64);
        WriteCondition(sb, condition, nested: false);
        return sb.ToString();
    }

    /// <summary>The SOQL text of a value.</summary>
    public static string Write(SoqlValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(16);
        WriteValue(sb, value);
        return sb.ToString();
    }

    private static void WriteQuery(StringBuilder sb, SoqlQuery q)
    {
        sb.Append("SELECT ");
        for (var i = 0; i < q.Select.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            WriteSelectItem(sb, q.Select[i]);
        }

        sb.Append(" FROM ").Append(q.From);
        if (q.FromAlias is not null)
        {
            sb.Append(' ').Append(q.FromAlias);
        }

        foreach (var join in q.Joins)
        {
            sb.Append(", ").Append(join.Path);
            if (join.Alias is not null)
            {
                sb.Append(' ').Append(join.Alias);
            }
        }

        if (q.UsingScope is not null)
        {
            sb.Append(" USING SCOPE ").Append(q.UsingScope);
        }

        if (q.Where is not null)
        {
            sb.Append(" WHERE ");
            WriteCondition(sb, q.Where, nested: false);
        }

        switch (q.With)
        {
            case SoqlWithSecurity s:
                sb.Append(" WITH ").Append(s.Mode switch
                {
                    SoqlSecurityMode.SecurityEnforced => "SECURITY_ENFORCED",
                    SoqlSecurityMode.UserMode => "USER_MODE",
                    _ => "SYSTEM_MODE",
                });
                break;
            case SoqlWithDataCategory d:
                sb.Append(" WITH DATA CATEGORY ");
                for (var i = 0; i < d.Filters.Count; i++)
                {
                    var f = d.Filters[i];
                    if (i > 0)
                    {
                        sb.Append(" AND ");
                    }

                    sb.Append(f.Group).Append(' ').Append(f.Selector.ToUpperInvariant()).Append(' ');
                    if (f.Categories.Count == 1)
                    {
                        sb.Append(f.Categories[0]);
                    }
                    else
                    {
                        sb.Append('(').AppendJoin(", ", f.Categories).Append(')');
                    }
                }

                break;
        }

        if (q.GroupBy is { } g)
        {
            sb.Append(" GROUP BY ");
            if (g.Kind != SoqlGroupByKind.Plain)
            {
                sb.Append(g.Kind == SoqlGroupByKind.Rollup ? "ROLLUP(" : "CUBE(");
            }

            WriteList(sb, g.Expressions);
            if (g.Kind != SoqlGroupByKind.Plain)
            {
                sb.Append(')');
            }
        }

        if (q.Having is not null)
        {
            sb.Append(" HAVING ");
            WriteCondition(sb, q.Having, nested: false);
        }

        if (q.OrderBy.Count > 0)
        {
            sb.Append(" ORDER BY ");
            for (var i = 0; i < q.OrderBy.Count; i++)
            {
                var o = q.OrderBy[i];
                if (i > 0)
                {
                    sb.Append(", ");
                }

                WriteExpression(sb, o.Expression);
                if (o.Descending)
                {
                    sb.Append(" DESC");
                }
                else if (o.ExplicitDirection)
                {
                    sb.Append(" ASC");
                }

                if (o.Nulls is { } n)
                {
                    sb.Append(n == SoqlNulls.First ? " NULLS FIRST" : " NULLS LAST");
                }
            }
        }

        if (q.Limit is { } limit)
        {
            sb.Append(" LIMIT ").Append(limit.ToString(CultureInfo.InvariantCulture));
        }

        if (q.Offset is { } offset)
        {
            sb.Append(" OFFSET ").Append(offset.ToString(CultureInfo.InvariantCulture));
        }

        if (q.For is { } f2)
        {
            sb.Append(f2 switch { SoqlFor.View => " FOR VIEW", SoqlFor.Reference => " FOR REFERENCE", _ => " FOR UPDATE" });
        }

        if (q.AllRows)
        {
            sb.Append(" ALL ROWS");
        }
    }

    private static void WriteSelectItem(StringBuilder sb, SoqlSelectItem item)
    {
        switch (item)
        {
            case SoqlFieldItem f:
                sb.Append(f.Field.Path);
                if (f.Alias is not null)
                {
                    sb.Append(' ').Append(f.Alias);
                }

                break;
            case SoqlFunctionItem fn:
                WriteExpression(sb, fn.Function);
                if (fn.Alias is not null)
                {
                    sb.Append(' ').Append(fn.Alias);
                }

                break;
            case SoqlSubquery sub:
                sb.Append('(');
                WriteQuery(sb, sub.Query);
                sb.Append(')');
                break;
            case SoqlTypeOf t:
                sb.Append("TYPEOF ").Append(t.Field);
                foreach (var when in t.Whens)
                {
                    sb.Append(" WHEN ").Append(when.TypeName).Append(" THEN ").AppendJoin(", ", when.Fields);
                }

                if (t.Else.Count > 0)
                {
                    sb.Append(" ELSE ").AppendJoin(", ", t.Else);
                }

                sb.Append(" END");
                break;
            default:
                throw new ArgumentException($"Unknown select item {item.GetType().Name}.", nameof(item));
        }
    }

    private static void WriteList(StringBuilder sb, SoqlList<SoqlExpression> expressions)
    {
        for (var i = 0; i < expressions.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            WriteExpression(sb, expressions[i]);
        }
    }

    private static void WriteExpression(StringBuilder sb, SoqlExpression expression)
    {
        switch (expression)
        {
            case SoqlField f:
                sb.Append(f.Path);
                break;
            case SoqlFunction fn:
                sb.Append(fn.Name).Append('(');
                WriteList(sb, fn.Arguments);
                sb.Append(')');
                break;
            case SoqlValue v:
                WriteValue(sb, v);
                break;
            default:
                throw new ArgumentException($"Unknown expression {expression.GetType().Name}.", nameof(expression));
        }
    }

    private static void WriteCondition(StringBuilder sb, SoqlCondition condition, bool nested)
    {
        switch (condition)
        {
            case SoqlAnd and:
                WriteJunction(sb, and.Operands, " AND ", nested);
                break;
            case SoqlOr or:
                WriteJunction(sb, or.Operands, " OR ", nested);
                break;
            case SoqlNot not:
                if (nested)
                {
                    sb.Append('(');
                }

                sb.Append("NOT ");
                WriteCondition(sb, not.Operand, nested: true);
                if (nested)
                {
                    sb.Append(')');
                }

                break;
            case SoqlComparison c:
                WriteExpression(sb, c.Left);
                sb.Append(c.Operator switch
                {
                    SoqlOperator.Equal => " = ",
                    SoqlOperator.NotEqual => " != ",
                    SoqlOperator.LessThan => " < ",
                    SoqlOperator.LessThanOrEqual => " <= ",
                    SoqlOperator.GreaterThan => " > ",
                    _ => " >= ",
                });
                WriteValue(sb, c.Right);
                break;
            case SoqlLike like:
                WriteExpression(sb, like.Left);
                sb.Append(" LIKE ");
                SoqlLiteral.AppendLikePattern(sb, like.Pattern);
                break;
            case SoqlIn @in:
                WriteExpression(sb, @in.Left);
                sb.Append(@in.Negated ? " NOT IN (" : " IN (");
                if (@in.Subquery is { } sub)
                {
                    WriteQuery(sb, sub);
                }
                else
                {
                    for (var i = 0; i < @in.Values.Count; i++)
                    {
                        if (i > 0)
                        {
                            sb.Append(", ");
                        }

                        WriteValue(sb, @in.Values[i]);
                    }
                }

                sb.Append(')');
                break;
            case SoqlIncludes inc:
                WriteExpression(sb, inc.Left);
                sb.Append(inc.Excludes ? " EXCLUDES (" : " INCLUDES (");
                for (var i = 0; i < inc.Values.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }

                    SoqlLiteral.AppendString(sb, inc.Values[i]);
                }

                sb.Append(')');
                break;
            default:
                throw new ArgumentException($"Unknown condition {condition.GetType().Name}.", nameof(condition));
        }
    }

    private static void WriteJunction(StringBuilder sb, SoqlList<SoqlCondition> operands, string op, bool nested)
    {
        if (nested)
        {
            sb.Append('(');
        }

        for (var i = 0; i < operands.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(op);
            }

            WriteCondition(sb, operands[i], nested: true);
        }

        if (nested)
        {
            sb.Append(')');
        }
    }

    internal static void WriteValue(StringBuilder sb, SoqlValue value)
    {
        switch (value)
        {
            case SoqlString s:
                SoqlLiteral.AppendString(sb, s.Value);
                break;
            case SoqlNumber n:
                sb.Append(SoqlLiteral.Number(n.Value));
                break;
            case SoqlBoolean b:
                sb.Append(b.Value ? "true" : "false");
                break;
            case SoqlNull:
                sb.Append("null");
                break;
            case SoqlDateValue d:
                sb.Append(SoqlLiteral.Date(d.Value));
                break;
            case SoqlDateTimeValue dt:
                sb.Append(SoqlLiteral.DateTime(dt.Value));
                break;
            case SoqlDateLiteral l:
                sb.Append(l.Name);
                if (l.N is { } n2)
                {
                    sb.Append(':').Append(n2.ToString(CultureInfo.InvariantCulture));
                }

                break;
            case SoqlCurrency c:
                sb.Append(c.IsoCode).Append(SoqlLiteral.Number(c.Amount));
                break;
            case Internal.SoqlParameter p:
                sb.Append(p.Marker);
                break;
            default:
                throw new ArgumentException($"Unknown value {value.GetType().Name}.", nameof(value));
        }
    }
}
