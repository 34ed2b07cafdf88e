using System.Linq.Expressions;
using System.Reflection;
using Sdk.Runtime.Records;
using Sdk.Runtime.Soql;

namespace Sdk.Runtime.Query.Internal;

/// <summary>
/// Translates a LINQ expression tree into a <see cref="QueryPlan"/>: a SOQL template whose values are slots, the compiled
/// projection, and how to run it. Field names come from the generated metadata; what SOQL cannot express is refused with a
/// <see cref="NotSupportedException"/> that names the sub-expression, never evaluated on the client instead.
/// </summary>
internal sealed partial class LinqTranslator
{
    private const int MaxParentDepth = 5;

    private readonly SlotTable _slots;
    private int _aliases;

    private LinqTranslator(SlotTable slots) => _slots = slots;

    public static QueryPlan Translate(Expression expression, SlotTable slots) => new LinqTranslator(slots).TranslateTop(expression);

    private QueryPlan TranslateTop(Expression expression)
    {
        var kind = ResultKind.Sequence;
        var source = expression;
        LambdaExpression? predicate = null;
        if (expression is MethodCallExpression call && call.Method.DeclaringType == typeof(Queryable) && TerminalKind(call.Method.Name) is { } terminal)
        {
            kind = terminal;
            source = call.Arguments[0];
            if (call.Arguments.Count == 2)
            {
                predicate = Unquote(call.Arguments[1]);
            }
        }

        var state = TranslateChain(source);
        if (predicate is not null)
        {
            ApplyWhere(state, predicate, expression);
        }

        return Build(state, kind);
    }

    private static ResultKind? TerminalKind(string name) => name switch
    {
        nameof(Queryable.First) => ResultKind.First,
        nameof(Queryable.FirstOrDefault) => ResultKind.FirstOrDefault,
        nameof(Queryable.Single) => ResultKind.Single,
        nameof(Queryable.SingleOrDefault) => ResultKind.SingleOrDefault,
        nameof(Queryable.Count) => ResultKind.Count,
        nameof(Queryable.LongCount) => ResultKind.LongCount,
        nameof(Queryable.Any) => ResultKind.Any,
        _ => null,
    };

    /// <summary>The state of the query an operator chain builds.</summary>
    private sealed class QueryState
    {
        public QueryState(RecordInfo root, string from, bool child)
        {
            Root = root;
            From = from;
            IsChild = child;
            Parameter = Expression.Parameter(root.Type, char.ToLowerInvariant(root.Type.Name[0]).ToString());
            Element = Parameter;
        }

        public RecordInfo Root { get; }

        public string From { get; }

        public bool IsChild { get; }

        public ParameterExpression Parameter { get; }

        public Expression Element { get; set; }

        public List<SoqlCondition> Where { get; } = [];

        public List<SoqlCondition> Having { get; } = [];

        public List<List<SoqlOrderBy>> Orderings { get; } = [];

        public List<RowOp> RowOps { get; } = [];

        public GroupingExpression? Group { get; set; }

        public List<SoqlExpression> GroupKeys { get; } = [];

        public SoqlWith? With { get; set; }

        public SoqlFor? For { get; set; }

        public bool IncludeDeleted { get; set; }

        public int BatchSizeSlot { get; set; } = -1;

        public List<string>? ExplicitFields { get; set; }

        public List<SoqlSelectItem>? ExplicitItems { get; set; }

        // Child subqueries resolve Take and Skip while translating (they are part of the subquery's text).
        public int? ChildLimit { get; set; }

        public int ChildOffset { get; set; }
    }

    private QueryState TranslateChain(Expression expression)
    {
        expression = _slots.Inline(expression);
        switch (expression)
        {
            case ConstantExpression { Value: IQueryable query } when query.Expression is ConstantExpression root && root.Value == query:
                return Root(query.ElementType, expression);
            case MethodCallExpression call when call.Method.DeclaringType == typeof(SalesforceClient) && call.Method.Name == nameof(SalesforceClient.Query):
                return Root(call.Method.GetGenericArguments()[0], expression);
            case UnaryExpression { NodeType: ExpressionType.Convert } convert when typeof(IQueryable).IsAssignableFrom(convert.Operand.Type):
                return TranslateChain(convert.Operand);
            case MethodCallExpression call when call.Method.DeclaringType == typeof(Queryable) || call.Method.DeclaringType == typeof(SoqlQueryableExtensions):
                var state = TranslateChain(call.Arguments[0]);
                Apply(state, call);
                return state;
            default:
                throw NotSupported(expression, "it is not a query of SalesforceClient.Query<T>() or an operator SOQL supports");
        }
    }

    private static QueryState Root(Type type, Expression expression)
    {
        var info = RecordInfo.For(type) ?? throw NotSupported(expression, $"{type.Name} is not a generated record type");
        return new QueryState(info, info.Name, child: false);
    }

    private void Apply(QueryState state, MethodCallExpression call)
    {
        var name = call.Method.Name;
        switch (name)
        {
            case nameof(Queryable.Where):
                ApplyWhere(state, Unquote(call.Arguments[1]), call);
                return;
            case nameof(Queryable.Select):
                state.Element = Binder.Bind(Unquote(call.Arguments[1]), state.Element);
                return;
            case nameof(SoqlQueryableExtensions.SelectFields):
                if (state.Element != state.Parameter)
                {
                    throw NotSupported(call, "SelectFields applies to whole records, before any Select");
                }

                state.ExplicitItems = CollectFieldList(state, Binder.Bind(Unquote(call.Arguments[1]), state.Parameter), call);
                return;
            case nameof(Queryable.OrderBy):
            case nameof(Queryable.OrderByDescending):
            case nameof(Queryable.ThenBy):
            case nameof(Queryable.ThenByDescending):
                ApplyOrder(state, call);
                return;
            case nameof(Queryable.Take):
            case nameof(Queryable.Skip):
                ApplyRowOp(state, call, skip: name == nameof(Queryable.Skip));
                return;
            case nameof(Queryable.GroupBy) when call.Arguments.Count == 2:
                ApplyGroupBy(state, call);
                return;
            case nameof(SoqlQueryableExtensions.IncludeDeleted):
                state.IncludeDeleted = true;
                return;
            case nameof(SoqlQueryableExtensions.WithBatchSize):
                state.BatchSizeSlot = SlotOf(call.Arguments[1], call);
                return;
            case nameof(SoqlQueryableExtensions.WithSecurityEnforced):
                state.With = new SoqlWithSecurity(SoqlSecurityMode.SecurityEnforced);
                return;
            case nameof(SoqlQueryableExtensions.WithUserMode):
                state.With = new SoqlWithSecurity(SoqlSecurityMode.UserMode);
                return;
            case nameof(SoqlQueryableExtensions.WithSystemMode):
                state.With = new SoqlWithSecurity(SoqlSecurityMode.SystemMode);
                return;
            case nameof(SoqlQueryableExtensions.ForUpdate):
                state.For = SoqlFor.Update;
                return;
            case nameof(SoqlQueryableExtensions.ForView):
                state.For = SoqlFor.View;
                return;
            case nameof(SoqlQueryableExtensions.ForReference):
                state.For = SoqlFor.Reference;
                return;
            default:
                throw NotSupported(call, $"the operator {name} has no SOQL equivalent");
        }
    }

    private void ApplyWhere(QueryState state, LambdaExpression predicate, Expression call)
    {
        if (state.RowOps.Count > 0 || state.ChildLimit is not null || state.ChildOffset > 0)
        {
            throw NotSupported(call, "SOQL filters before it applies LIMIT and OFFSET, so a Where cannot follow Take or Skip");
        }

        var body = Binder.Bind(predicate, state.Element);
        var condition = TranslateCondition(body, state);
        (state.Group is null ? state.Where : state.Having).Add(condition);
    }

    private void ApplyOrder(QueryState state, MethodCallExpression call)
    {
        if (state.RowOps.Count > 0 || state.ChildLimit is not null || state.ChildOffset > 0)
        {
            throw NotSupported(call, "SOQL orders before it applies LIMIT and OFFSET, so an OrderBy cannot follow Take or Skip");
        }

        var name = call.Method.Name;
        var descending = name.EndsWith("Descending", StringComparison.Ordinal);
        SoqlNulls? nulls = null;
        if (call.Arguments.Count == 3)
        {
            nulls = (SoqlNulls)_slots.Structural(SlotOf(call.Arguments[2], call))!;
        }

        var key = Binder.Bind(Unquote(call.Arguments[1]), state.Element);
        var items = new List<SoqlOrderBy>();
        foreach (var part in KeyParts(key))
        {
            var operand = TranslateOperand(part, state, Usage.Sort)
                ?? throw NotSupported(part, "an order key must be a field, a parent field, a date function or (after GroupBy) an aggregate");
            items.Add(new SoqlOrderBy(operand.Soql, descending, nulls, ExplicitDirection: descending || nulls is not null));
        }

        if (name.StartsWith("Then", StringComparison.Ordinal) && state.Orderings.Count > 0)
        {
            state.Orderings[0].AddRange(items);
        }
        else
        {
            // A later OrderBy sorts first; the earlier order breaks its ties (LINQ's sort is stable).
            state.Orderings.Insert(0, items);
        }
    }

    private void ApplyRowOp(QueryState state, MethodCallExpression call, bool skip)
    {
        var slot = SlotOf(call.Arguments[1], call);
        if (!state.IsChild)
        {
            state.RowOps.Add(new RowOp(skip, slot, 0));
            return;
        }

        var n = Math.Max(0, Convert.ToInt32(_slots.Structural(slot), System.Globalization.CultureInfo.InvariantCulture));
        if (skip)
        {
            state.ChildOffset += n;
            state.ChildLimit = state.ChildLimit is { } l ? Math.Max(0, l - n) : null;
        }
        else
        {
            state.ChildLimit = state.ChildLimit is { } l ? Math.Min(l, n) : n;
        }
    }

    private void ApplyGroupBy(QueryState state, MethodCallExpression call)
    {
        if (state.Group is not null)
        {
            throw NotSupported(call, "SOQL has one GROUP BY per query");
        }

        if (state.RowOps.Count > 0 || state.Orderings.Count > 0)
        {
            throw NotSupported(call, "GroupBy must come before OrderBy, Take and Skip (order and limit the groups after grouping)");
        }

        if (state.Element != state.Parameter)
        {
            throw NotSupported(call, "GroupBy applies to records, before any Select");
        }

        var key = Binder.Bind(Unquote(call.Arguments[1]), state.Element);
        foreach (var part in KeyParts(key))
        {
            var operand = TranslateOperand(part, state, Usage.Group)
                ?? throw NotSupported(part, "a group key must be a field, a parent field or a date function");
            state.GroupKeys.Add(operand.Soql);
        }

        var groupingType = typeof(IGrouping<,>).MakeGenericType(key.Type, state.Element.Type);
        state.Group = new GroupingExpression(key, state.Element, groupingType);
        state.Element = state.Group;
    }

    private static IEnumerable<Expression> KeyParts(Expression key) => key switch
    {
        NewExpression { Members: not null } created => created.Arguments,
        MemberInitExpression init => init.Bindings.OfType<MemberAssignment>().Select(b => b.Expression),
        _ => [key],
    };

    private QueryPlan Build(QueryState state, ResultKind kind)
    {
        var rowOps = new List<RowOp>(state.RowOps);
        List<SoqlSelectItem> select;
        object? runner = null;
        switch (kind)
        {
            case ResultKind.Count:
            case ResultKind.LongCount:
                if (state.Group is not null)
                {
                    throw new NotSupportedException("Counting groups cannot be translated to SOQL: select the groups and count them, or count records without GroupBy.");
                }

                select = [new SoqlFunctionItem(new SoqlFunction("COUNT", SoqlList<SoqlExpression>.Empty))];
                break;
            case ResultKind.Any:
                select = state.Group is null
                    ? [new SoqlFieldItem(new SoqlField("Id"))]
                    : [.. state.GroupKeys.Select(k => k is SoqlField f ? (SoqlSelectItem)new SoqlFieldItem(f) : new SoqlFunctionItem((SoqlFunction)k))];
                rowOps.Add(new RowOp(false, -1, 1));
                break;
            default:
                (select, runner) = state.Group is null ? BuildRecordProjection(state) : BuildAggregateProjection(state);
                if (kind is ResultKind.First or ResultKind.FirstOrDefault)
                {
                    rowOps.Add(new RowOp(false, -1, 1));
                }
                else if (kind is ResultKind.Single or ResultKind.SingleOrDefault)
                {
                    rowOps.Add(new RowOp(false, -1, 2));
                }

                break;
        }

        var query = new SoqlQuery
        {
            Select = SoqlList.From(select),
            From = state.From,
            Where = Conjunction(state.Where, havingForm: false),
            With = state.With,
            GroupBy = state.Group is null ? null : new SoqlGroupBy(SoqlGroupByKind.Plain, SoqlList.From(state.GroupKeys)),
            Having = Conjunction(state.Having, havingForm: true),
            OrderBy = SoqlList.From(state.Orderings.SelectMany(o => o)),
        };

        return new QueryPlan
        {
            Guards = [.. _slots.Guards],
            Template = SoqlTemplate.Create(SoqlWriter.Write(query)),
            RowOps = [.. rowOps],
            For = state.For,
            IncludeDeleted = state.IncludeDeleted,
            BatchSizeSlot = state.BatchSizeSlot,
            Kind = kind,
            Runner = runner ?? new RecordRunner<System.Text.Json.JsonElement>(),
        };
    }

    /// <summary>AND of the conditions, with constants folded; a condition that is always false becomes one no record meets.</summary>
    private static SoqlCondition? Conjunction(List<SoqlCondition> conditions, bool havingForm)
    {
        var operands = new List<SoqlCondition>();
        foreach (var condition in conditions)
        {
            switch (condition)
            {
                case SoqlConstantCondition { Value: true }:
                    continue;
                case SoqlConstantCondition { Value: false }:
                    return Never(havingForm);
                case SoqlAnd and:
                    operands.AddRange(and.Operands);
                    break;
                default:
                    operands.Add(condition);
                    break;
            }
        }

        return operands.Count switch
        {
            0 => null,
            1 => operands[0],
            _ => new SoqlAnd(SoqlList.From(operands)),
        };
    }

    /// <summary>A condition no record meets: every record has an Id (and every group at least one record).</summary>
    private static SoqlCondition Never(bool havingForm) => havingForm
        ? new SoqlComparison(new SoqlFunction("COUNT", SoqlList.From<SoqlExpression>([new SoqlField("Id")])), SoqlOperator.LessThan, new SoqlNumber(0))
        : new SoqlComparison(new SoqlField("Id"), SoqlOperator.Equal, SoqlNull.Instance);

    private int SlotOf(Expression argument, Expression call)
        => _slots.TryGetSlot(argument, out var slot) ? slot : throw NotSupported(call, $"'{argument}' must not depend on the record");

    private string NextAlias() => "a" + _aliases++.ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static LambdaExpression Unquote(Expression expression)
    {
        while (expression is UnaryExpression { NodeType: ExpressionType.Quote } quote)
        {
            expression = quote.Operand;
        }

        return expression as LambdaExpression ?? throw NotSupported(expression, "a lambda was expected");
    }

    internal static NotSupportedException NotSupported(Expression expression, string reason)
        => new($"The LINQ expression '{expression}' cannot be translated to SOQL: {reason}.");

    private static bool IsSObject(Type type) => typeof(SObject).IsAssignableFrom(type);

    private static bool IsMethod(MethodInfo method, Type declaringType, string name) => method.DeclaringType == declaringType && method.Name == name;
}
