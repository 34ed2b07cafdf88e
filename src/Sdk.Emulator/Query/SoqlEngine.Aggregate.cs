using Sdk.Emulator.Data;
using Sdk.Emulator.Schema;
using Sdk.Runtime.Soql;

namespace Sdk.Emulator.Query;

internal sealed partial class SoqlEngine
{
    private sealed partial class Run
    {
        /// <summary>An aggregate query: groups (one, without GROUP BY), HAVING, the columns named by alias or <c>expr0</c>, <c>expr1</c>, ….</summary>
        private List<OutRecord> Aggregate(ObjectSchema root, SoqlQuery query, string? alias, IEnumerable<StoredRecord> rows)
        {
            if (query.GroupBy is { Kind: not SoqlGroupByKind.Plain })
            {
                throw SoqlErrors.Malformed(soql, "GROUP BY ROLLUP and CUBE are not supported by the local org", query.GroupBy.Kind == SoqlGroupByKind.Rollup ? "ROLLUP" : "CUBE");
            }

            var groupBy = query.GroupBy?.Expressions ?? SoqlList<SoqlExpression>.Empty;
            var keys = new List<Func<StoredRecord, object?>>();
            var keyTexts = new List<string>();
            foreach (var expression in groupBy)
            {
                var (evaluate, info) = CompileExpression(expression, root, alias);
                if (info.Field is { Groupable: false } field)
                {
                    throw SoqlErrors.InvalidField(soql, info.Text, $"field '{field.Name}' can not be grouped in a query call");
                }

                keys.Add(evaluate);
                keyTexts.Add(Canonical(expression, root, alias));
            }

            var groups = new Dictionary<GroupKey, GroupRow>();
            var order = new List<GroupRow>();
            foreach (var record in rows)
            {
                var values = new object?[keys.Count];
                for (var i = 0; i < keys.Count; i++)
                {
                    values[i] = keys[i](record);
                }

                var key = new GroupKey(values);
                if (!groups.TryGetValue(key, out var group))
                {
                    groups[key] = group = new GroupRow(values, []);
                    order.Add(group);
                }

                group.Records.Add(record);
            }

            if (keys.Count == 0 && order.Count == 0)
            {
                order.Add(new GroupRow([], []));
            }

            (Func<GroupRow, object?>, ExprInfo) Group(SoqlExpression e) => GroupExpression(e, root, alias, keyTexts);

            IEnumerable<GroupRow> result = order;
            if (query.Having is not null)
            {
                var having = Condition<GroupRow>(query.Having, Group);
                result = result.Where(having);
            }

            var columns = new List<(string Name, Func<GroupRow, object?> Evaluate, FieldSchema? Field)>();
            var expr = 0;
            foreach (var item in query.Select)
            {
                switch (item)
                {
                    case SoqlFieldItem { Field: var field, Alias: var name }:
                        var (evaluate, info) = Group(field);
                        columns.Add((name ?? BindPath(field.Path, root, alias).FieldName, evaluate, info.Field));
                        break;
                    case SoqlFunctionItem { Function: var function, Alias: var name }:
                        var (compute, _) = Group(function);
                        columns.Add((name ?? "expr" + expr++, compute, null));
                        break;
                    default:
                        throw SoqlErrors.Malformed(soql, "Aggregate queries select grouped fields and aggregate functions only");
                }
            }

            if (query.OrderBy.Count > 0)
            {
                IOrderedEnumerable<GroupRow>? ordered = null;
                foreach (var item in query.OrderBy)
                {
                    var (key, _) = Group(item.Expression);
                    var comparer = new NullOrderComparer(item.Descending, item.Nulls ?? (item.Descending ? SoqlNulls.Last : SoqlNulls.First));
                    ordered = ordered is null ? result.OrderBy(key, comparer) : ordered.ThenBy(key, comparer);
                }

                result = ordered!;
            }
            else if (keys.Count > 0)
            {
                var comparer = new NullOrderComparer(false, SoqlNulls.First);
                IOrderedEnumerable<GroupRow>? ordered = null;
                for (var i = 0; i < keys.Count; i++)
                {
                    var index = i;
                    ordered = ordered is null ? result.OrderBy(g => g.Keys[index], comparer) : ordered.ThenBy(g => g.Keys[index], comparer);
                }

                result = ordered!;
            }

            if (query.Offset is { } offset)
            {
                result = result.Skip(offset);
            }

            if (query.Limit is { } limit)
            {
                result = result.Take(limit);
            }

            var output = new List<OutRecord>();
            foreach (var group in result)
            {
                var record = new OutRecord("AggregateResult", null);
                foreach (var (name, evaluate, field) in columns)
                {
                    record.Cells.Add(new Cell(name, evaluate(group), field));
                }

                output.Add(record);
            }

            return output;
        }

        /// <summary>An expression over a group: a grouped expression, an aggregate, or FORMAT/convertCurrency of one.</summary>
        private (Func<GroupRow, object?>, ExprInfo) GroupExpression(SoqlExpression expression, ObjectSchema root, string? alias, List<string> keyTexts)
        {
            var canonical = Canonical(expression, root, alias);
            var index = keyTexts.IndexOf(canonical);
            if (index >= 0)
            {
                var (_, info) = CompileExpression(expression, root, alias);
                return (g => g.Keys[index], info);
            }

            if (expression is not SoqlFunction function)
            {
                throw SoqlErrors.Malformed(soql, $"Field must be grouped or aggregated: {((SoqlField)expression).Path}", ((SoqlField)expression).Path);
            }

            var name = function.Name.ToUpperInvariant();
            if (name is "FORMAT" or "CONVERTCURRENCY" && function.Arguments.Count == 1)
            {
                var (inner, info) = GroupExpression(function.Arguments[0], root, alias, keyTexts);
                return name == "FORMAT" ? (g => Format(info.Field, inner(g)), new ExprInfo("string", null, info.Text)) : (inner, info);
            }

            if (name == "COUNT" && function.Arguments.Count == 0)
            {
                return (g => (decimal)g.Records.Count, new ExprInfo("number", null, "COUNT()"));
            }

            if (!AggregateFunctions.Contains(name) || function.Arguments.Count != 1)
            {
                throw SoqlErrors.Malformed(soql, $"Field must be grouped or aggregated: {function.Name}", function.Name);
            }

            var (argument, argumentInfo) = CompileExpression(function.Arguments[0], root, alias);
            var text = $"{name}({argumentInfo.Text})";
            return name switch
            {
                "COUNT" => (g => (decimal)g.Records.Count(r => argument(r) is not null), new ExprInfo("number", null, text)),
                "COUNT_DISTINCT" => (g => (decimal)g.Records.Select(argument).Where(v => v is not null).Distinct(ValueComparer.Instance).Count(), new ExprInfo("number", null, text)),
                "SUM" => (g => Sum(g, argument), new ExprInfo("number", argumentInfo.Field, text)),
                "AVG" => (g => Sum(g, argument) is decimal total ? total / g.Records.Count(r => argument(r) is not null) : null, new ExprInfo("number", null, text)),
                "MIN" => (g => Extreme(g, argument, -1), argumentInfo with { Text = text }),
                _ => (g => Extreme(g, argument, 1), argumentInfo with { Text = text }),
            };
        }

        private static decimal? Sum(GroupRow group, Func<StoredRecord, object?> argument)
        {
            decimal? total = null;
            foreach (var record in group.Records)
            {
                if (argument(record) is decimal d)
                {
                    total = (total ?? 0) + d;
                }
            }

            return total;
        }

        private static object? Extreme(GroupRow group, Func<StoredRecord, object?> argument, int sign)
        {
            object? best = null;
            foreach (var record in group.Records)
            {
                var value = argument(record);
                if (value is not null && (best is null || (Values.Compare(value, best) * sign) > 0))
                {
                    best = value;
                }
            }

            return best;
        }

        /// <summary>An expression's identity for matching SELECT and ORDER BY items to GROUP BY items.</summary>
        private string Canonical(SoqlExpression expression, ObjectSchema root, string? alias) => expression switch
        {
            SoqlField field => BindPath(field.Path, root, alias).Canonical.ToUpperInvariant(),
            SoqlFunction function => function.Name.ToUpperInvariant() + "(" + string.Join(",", function.Arguments.Select(a => a is SoqlValue ? a.ToString() : Canonical(a, root, alias))) + ")",
            _ => expression.ToString(),
        };
    }

    /// <summary>The key of a group: its values, text compared case-insensitively.</summary>
    private readonly struct GroupKey(object?[] values) : IEquatable<GroupKey>
    {
        private readonly object?[] _values = values;

        public bool Equals(GroupKey other)
        {
            for (var i = 0; i < _values.Length; i++)
            {
                if (!Values.Equals(_values[i], other._values[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => obj is GroupKey other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            foreach (var value in _values)
            {
                hash.Add(ValueComparer.Instance.GetHashCode(value));
            }

            return hash.ToHashCode();
        }
    }
}
