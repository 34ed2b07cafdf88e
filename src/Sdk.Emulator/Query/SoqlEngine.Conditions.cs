using Sdk.Emulator.Schema;
using Sdk.Runtime.Soql;

namespace Sdk.Emulator.Query;

internal sealed partial class SoqlEngine
{
    private sealed partial class Run
    {
        private Func<Data.StoredRecord, bool> CompileCondition(SoqlCondition condition, ObjectSchema root, string? alias)
            => Condition<Data.StoredRecord>(condition, e =>
            {
                var (evaluate, info) = CompileExpression(e, root, alias);
                if (info.Field is { Filterable: false } field)
                {
                    throw SoqlErrors.InvalidField(soql, info.Text, $"field '{field.Name}' can not be filtered in a query call");
                }

                return (evaluate, info);
            });

        /// <summary>Compiles a WHERE or HAVING condition over rows of type <typeparamref name="T"/> (records or groups).</summary>
        private Func<T, bool> Condition<T>(SoqlCondition condition, Func<SoqlExpression, (Func<T, object?> Evaluate, ExprInfo Info)> expression)
        {
            switch (condition)
            {
                case SoqlAnd and:
                    var all = and.Operands.Select(o => Condition(o, expression)).ToArray();
                    return row => all.All(c => c(row));
                case SoqlOr or:
                    var any = or.Operands.Select(o => Condition(o, expression)).ToArray();
                    return row => any.Any(c => c(row));
                case SoqlNot not:
                    var inner = Condition(not.Operand, expression);
                    return row => !inner(row);
                case SoqlComparison comparison:
                {
                    var (left, info) = expression(comparison.Left);
                    var right = Literal(comparison.Right, info);
                    var op = comparison.Operator;
                    return row => Compare(left(row), op, right);
                }

                case SoqlLike like:
                {
                    var (left, info) = expression(like.Left);
                    if (info.Kind is not ("string" or "any" or "id"))
                    {
                        throw SoqlErrors.InvalidQueryFilter(soql, info.Text, $"invalid operator on {info.Kind} field: LIKE");
                    }

                    var pattern = like.Pattern;
                    return row => left(row) is string s && SoqlLikeMatcher.IsMatch(s, pattern);
                }

                case SoqlIn @in:
                {
                    var (left, info) = expression(@in.Left);
                    HashSet<object?> set;
                    if (@in.Subquery is { } sub)
                    {
                        if (info.Kind is not ("id" or "any"))
                        {
                            throw SoqlErrors.Malformed(soql, "The left operand of a semi-join must be an Id or a reference field", info.Text);
                        }

                        set = new HashSet<object?>(SemiJoin(sub), StringComparer.OrdinalIgnoreCase.AsObjectComparer());
                    }
                    else
                    {
                        set = new HashSet<object?>(@in.Values.Select(v => Literal(v, info)), ValueComparer.Instance);
                    }

                    var negated = @in.Negated;
                    return row =>
                    {
                        var value = left(row);
                        var contains = value is not null && set.Contains(value);
                        return negated ? !contains : contains;
                    };
                }

                case SoqlIncludes includes:
                {
                    var (left, info) = expression(includes.Left);
                    if (info.Kind is not ("multipicklist" or "any"))
                    {
                        throw SoqlErrors.InvalidQueryFilter(soql, info.Text, "includes or excludes operator only valid on multipicklist field");
                    }

                    var wanted = includes.Values.Select(v => v.Split(';', StringSplitOptions.TrimEntries)).ToArray();
                    var excludes = includes.Excludes;
                    return row =>
                    {
                        var set = (left(row) as string)?.Split(';', StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
                        var match = wanted.Any(all => all.All(set.Contains));
                        return excludes ? !match : match;
                    };
                }

                default:
                    throw SoqlErrors.Malformed(soql, "unsupported condition");
            }
        }

        /// <summary>The ids a semi-join subquery selects.</summary>
        private IEnumerable<string> SemiJoin(SoqlQuery sub)
        {
            var obj = Store.Schema.Find(sub.From) ?? throw SoqlErrors.NoSuchObject(soql, sub.From);
            if (sub.Select.Count != 1 || sub.Select[0] is not SoqlFieldItem { Field: var field })
            {
                throw SoqlErrors.Malformed(soql, "A semi-join subquery selects exactly one Id or reference field", sub.From);
            }

            var path = BindPath(field.Path, obj, sub.FromAlias);
            if (path.Field is not null && !path.Field.IsReference)
            {
                throw SoqlErrors.Malformed(soql, "A semi-join subquery selects exactly one Id or reference field", field.Path);
            }

            var result = new List<string>();
            foreach (var record in Filter(obj, sub, sub.FromAlias, includeDeleted))
            {
                if (path.Evaluate(Store, record) is string id)
                {
                    result.Add(id);
                }
            }

            return result;
        }

        /// <summary>A literal as a value of the expression's kind, or Salesforce's error for a literal of the wrong kind.</summary>
        private object? Literal(SoqlValue value, ExprInfo info)
        {
            string Fail(string type, bool quoted) => throw SoqlErrors.InvalidField(soql, info.Text,
                $"value of filter criterion for field '{info.Text}' must be of type {type} and {(quoted ? "should be enclosed in quotes" : "should not be enclosed in quotes")}");

            var kind = info.Kind;
            switch (value)
            {
                case SoqlNull:
                    return null;
                case SoqlString s:
                    return kind switch
                    {
                        "number" => Fail("double", false),
                        "boolean" => Fail("boolean", false),
                        "date" => Fail("date", false),
                        "datetime" => Fail("dateTime", false),
                        "id" => Values.NormalizeId(s.Value),
                        _ => s.Value,
                    };
                case SoqlNumber n:
                    return kind is "number" or "any" ? n.Value : Fail(kind == "boolean" ? "boolean" : kind is "date" ? "date" : kind is "datetime" ? "dateTime" : "string", kind is "string" or "id" or "multipicklist");
                case SoqlBoolean b:
                    return kind is "boolean" or "any" ? b.Value : Fail(kind is "number" ? "double" : "string", kind is "string" or "id");
                case SoqlDateValue d:
                    return kind is "date" or "any" ? d.Value : Fail(kind is "datetime" ? "dateTime" : kind, kind is "string" or "id");
                case SoqlDateTimeValue dt:
                    return kind is "datetime" or "any" ? dt.Value : Fail(kind is "date" ? "date" : kind, kind is "string" or "id");
                case SoqlDateLiteral literal:
                    if (kind is not ("date" or "datetime" or "any"))
                    {
                        Fail(kind, kind is "string" or "id");
                    }

                    var (start, end) = DateRanges.Of(literal, today);
                    return new DateRange(start, end);
                case SoqlCurrency c:
                    return c.Amount;
                default:
                    throw SoqlErrors.Malformed(soql, "unsupported value");
            }
        }

        private static bool Compare(object? value, SoqlOperator op, object? literal)
        {
            if (literal is DateRange range)
            {
                if (value is null)
                {
                    return op == SoqlOperator.NotEqual;
                }

                var day = value switch
                {
                    DateOnly d => d,
                    DateTimeOffset dto => DateOnly.FromDateTime(dto.UtcDateTime),
                    _ => DateOnly.MinValue,
                };
                return op switch
                {
                    SoqlOperator.Equal => day >= range.Start && day < range.End,
                    SoqlOperator.NotEqual => day < range.Start || day >= range.End,
                    SoqlOperator.LessThan => day < range.Start,
                    SoqlOperator.LessThanOrEqual => day < range.End,
                    SoqlOperator.GreaterThan => day >= range.End,
                    _ => day >= range.Start,
                };
            }

            switch (op)
            {
                case SoqlOperator.Equal:
                    return Values.Equals(value, literal);
                case SoqlOperator.NotEqual:
                    return !Values.Equals(value, literal);
            }

            if (value is null || literal is null)
            {
                return false;
            }

            var c = Values.Compare(value, literal);
            return op switch
            {
                SoqlOperator.LessThan => c < 0,
                SoqlOperator.LessThanOrEqual => c <= 0,
                SoqlOperator.GreaterThan => c > 0,
                _ => c >= 0,
            };
        }
    }

    /// <summary>Equality of literal values for IN lists (text case-insensitively).</summary>
    private sealed class ValueComparer : IEqualityComparer<object?>
    {
        public static ValueComparer Instance { get; } = new();

        public new bool Equals(object? x, object? y) => Values.Equals(x, y);

        public int GetHashCode(object? obj) => obj switch
        {
            null => 0,
            string s => StringComparer.OrdinalIgnoreCase.GetHashCode(s),
            DateTimeOffset d => d.UtcTicks.GetHashCode(),
            decimal d => d.GetHashCode(),
            _ => obj.GetHashCode(),
        };
    }
}

/// <summary>A string comparer usable where values are objects.</summary>
internal static class ComparerExtensions
{
    public static IEqualityComparer<object?> AsObjectComparer(this StringComparer comparer) => new Adapter(comparer);

    private sealed class Adapter(StringComparer comparer) : IEqualityComparer<object?>
    {
        public new bool Equals(object? x, object? y) => comparer.Equals(x as string, y as string);

        public int GetHashCode(object? obj) => obj is string s ? comparer.GetHashCode(s) : 0;
    }
}
