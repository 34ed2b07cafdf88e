using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;
using Sdk.Runtime.Records;
using Sdk.Runtime.Soql;

namespace Sdk.Runtime.Query.Internal;

internal sealed partial class LinqTranslator
{
    /// <summary>A child subquery in a projection: <c>a.Contacts.Where(…).OrderBy(…).Take(5).Select(…)</c>.</summary>
    private sealed record ChildChain(Expression Base, MethodCallExpression? Top, QueryState State, SelectList List, SoqlSubquery Subquery);

    /// <summary>The SELECT list a projection needs, in first-use order, with TYPEOF for casts of polymorphic relationships.</summary>
    private sealed class SelectList
    {
        private readonly HashSet<string> _fields = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<object> _order = [];
        private readonly Dictionary<string, List<(string Type, List<string> Fields)>> _typeOfs = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, List<string>> _uncast = new(StringComparer.OrdinalIgnoreCase);

        public Dictionary<Expression, string> Aliases { get; } = new(ReferenceEqualityComparer.Instance);

        public Dictionary<Expression, ChildChain> Children { get; } = new(ReferenceEqualityComparer.Instance);

        public HashSet<string> ChildRelationships { get; } = new(StringComparer.OrdinalIgnoreCase);

        public int Count => _order.Count;

        public void Add(FieldPath path)
        {
            var owner = path.Owner;
            if (owner is { CastPath: { } castPath, CastType: { } type })
            {
                var relative = path.Path[(castPath.Length + 1)..];
                if (!_typeOfs.TryGetValue(castPath, out var whens))
                {
                    _typeOfs[castPath] = whens = [];
                    _order.Add(new TypeOfKey(castPath));
                }

                var when = whens.FindIndex(w => w.Type == type);
                if (when < 0)
                {
                    whens.Add((type, []));
                    when = whens.Count - 1;
                }

                if (!whens[when].Fields.Contains(relative, StringComparer.OrdinalIgnoreCase))
                {
                    whens[when].Fields.Add(relative);
                }

                return;
            }

            if (owner is { Polymorphic: true, Depth: > 0 })
            {
                var polymorphicPath = owner.Prefix.TrimEnd('.');
                if (!_uncast.TryGetValue(polymorphicPath, out var fields))
                {
                    _uncast[polymorphicPath] = fields = [];
                }

                if (!fields.Contains(path.Name, StringComparer.OrdinalIgnoreCase))
                {
                    fields.Add(path.Name);
                }
            }

            AddPath(path.Path);
        }

        public void AddPath(string path)
        {
            if (_fields.Add(path))
            {
                _order.Add(path);
            }
        }

        public void AddItem(SoqlSelectItem item) => _order.Add(item);

        public List<SoqlSelectItem> Build()
        {
            var items = new List<SoqlSelectItem>(_order.Count);
            foreach (var entry in _order)
            {
                switch (entry)
                {
                    case string path when !_typeOfs.Keys.Any(p => path.StartsWith(p + ".", StringComparison.OrdinalIgnoreCase)):
                        items.Add(new SoqlFieldItem(new SoqlField(path)));
                        break;
                    case TypeOfKey key:
                        var uncast = _uncast.GetValueOrDefault(key.Path) ?? [];
                        var whens = _typeOfs[key.Path]
                            .Select(w => new SoqlTypeOfWhen(w.Type, SoqlList.From(w.Fields.Concat(uncast.Where(u => !w.Fields.Contains(u, StringComparer.OrdinalIgnoreCase))))));
                        items.Add(new SoqlTypeOf(key.Path, SoqlList.From(whens), SoqlList.From(uncast)));
                        break;
                    case SoqlSelectItem item:
                        items.Add(item);
                        break;
                }
            }

            return items;
        }

        private sealed record TypeOfKey(string Path);
    }

    private (List<SoqlSelectItem> Select, object Runner) BuildRecordProjection(QueryState state)
    {
        var recordType = state.Root.Type;
        if (state.Element == state.Parameter)
        {
            var whole = state.ExplicitItems ?? DefaultItems(state.Root, string.Empty);
            return (whole, Activator.CreateInstance(typeof(RecordRunner<>).MakeGenericType(recordType))!);
        }

        var list = new SelectList();
        new SelectCollector(this, state, list).Visit(state.Element);
        var select = list.Build();
        if (select.Count == 0)
        {
            select.Add(new SoqlFieldItem(new SoqlField("Id")));
        }

        var slots = Expression.Parameter(typeof(object?[]), "slots");
        var record = Expression.Parameter(recordType, "record");
        var body = new ProjectionRewriter(this, list, state.Parameter, record, slots, record).Visit(state.Element)!;
        var delegateType = typeof(Func<,,>).MakeGenericType(typeof(object?[]), recordType, state.Element.Type);
        var projection = Expression.Lambda(delegateType, body, slots, record).Compile();
        var runner = Activator.CreateInstance(typeof(ProjectingRunner<,>).MakeGenericType(recordType, state.Element.Type), projection)!;
        return (select, runner);
    }

    private static List<SoqlSelectItem> DefaultItems(RecordInfo record, string prefix)
        => [.. record.DefaultFields.Select(f => (SoqlSelectItem)new SoqlFieldItem(new SoqlField(prefix + f)))];

    /// <summary>The field list of <c>SelectFields</c>: paths, parent records and child relationships (whole).</summary>
    private List<SoqlSelectItem> CollectFieldList(QueryState state, Expression body, Expression call)
    {
        while (body is UnaryExpression { NodeType: ExpressionType.Convert } convert)
        {
            body = convert.Operand;
        }

        var list = new SelectList();
        list.AddPath("Id");
        new SelectCollector(this, state, list).Visit(body);
        if (list.Aliases.Count > 0)
        {
            throw NotSupported(call, "SelectFields lists fields; use Select for toLabel, FORMAT and convertCurrency");
        }

        return list.Build();
    }

    /// <summary>Walks a projection from the top and records what it reads; the largest path wins (<c>c.Account.Name</c>, not <c>c.Account</c>).</summary>
    private sealed class SelectCollector(LinqTranslator translator, QueryState state, SelectList list) : ExpressionVisitor
    {
        public override Expression? Visit(Expression? node)
        {
            if (node is null || translator._slots.IsSlot(node))
            {
                return node;
            }

            if (node is MemberExpression { Member.Name: nameof(SObject.SObjectType), Expression: { } typed } && IsSObject(typed.Type)
                && translator.ResolveRecord(typed, state) is { } typedRecord)
            {
                // The type comes with the record's attributes; a parent only needs to be returned at all.
                if (typedRecord.Depth > 0)
                {
                    list.Add(new FieldPath(typedRecord.Prefix + "Id", "Id", null, typedRecord));
                }

                return node;
            }

            if (translator.ResolveField(node, state) is { } field)
            {
                list.Add(field);
                return node;
            }

            if (node is MethodCallExpression call && call.Method.DeclaringType == typeof(Soql) && ServerFunction(call.Method.Name) is { } function)
            {
                var inner = translator.ResolveField(Strip(call.Arguments[0]), state)
                    ?? throw NotSupported(call, $"{function} applies to a field");
                var alias = translator.NextAlias();
                list.AddItem(new SoqlFunctionItem(new SoqlFunction(function, SoqlList.From<SoqlExpression>([new SoqlField(inner.Path)])), alias));
                list.Aliases[node] = alias;
                return node;
            }

            if (translator.ChildChainOf(node, state, list) is { } chain)
            {
                list.Children[node] = chain;
                return node;
            }

            if (node is BinaryExpression { NodeType: ExpressionType.Equal or ExpressionType.NotEqual } test)
            {
                // x.Account == null needs only one field of Account (null when there is no parent).
                var other = IsNull(test.Right) ? test.Left : IsNull(test.Left) ? test.Right : null;
                if (other is not null && translator.ResolveRecord(other, state) is { Depth: > 0 } parent)
                {
                    list.Add(new FieldPath(parent.Prefix + "Id", "Id", null, parent));
                    return node;
                }
            }

            if (translator.ResolveRecord(node, state) is { } record)
            {
                AddRecord(record);
                return node;
            }

            return base.Visit(node);
        }

        protected override Expression VisitExtension(Expression node)
            => throw NotSupported(node, "the records of a group are not returned by SOQL; select the key and aggregates");

        private void AddRecord(RecordPath record)
        {
            if (record.Depth == 0 && state.ExplicitItems is { } explicitItems)
            {
                foreach (var item in explicitItems.OfType<SoqlFieldItem>())
                {
                    list.AddPath(item.Field.Path);
                }

                return;
            }

            foreach (var name in record.Record?.DefaultFields ?? ["Id"])
            {
                list.Add(new FieldPath(record.Prefix + name, name, record.Record?.Metadata.FindField(name), record));
            }
        }

        private bool IsNull(Expression expression)
            => expression is ConstantExpression { Value: null }
               || (translator._slots.TryGetSlot(expression, out var slot) && translator._slots.Structural(slot) is null);
    }

    private static string? ServerFunction(string method) => method switch
    {
        nameof(Soql.ToLabel) => "toLabel",
        nameof(Soql.Format) => "FORMAT",
        nameof(Soql.ConvertCurrency) => "convertCurrency",
        _ => null,
    };

    private static readonly HashSet<string> ChildOperators =
    [
        nameof(Enumerable.Where), nameof(Enumerable.Select), nameof(Enumerable.OrderBy), nameof(Enumerable.OrderByDescending),
        nameof(Enumerable.ThenBy), nameof(Enumerable.ThenByDescending), nameof(Enumerable.Take), nameof(Enumerable.Skip),
        nameof(Enumerable.ToList), nameof(Enumerable.ToArray),
    ];

    /// <summary>A child relationship in a projection (whole, or under Enumerable operators), translated to a subquery.</summary>
    private ChildChain? ChildChainOf(Expression node, QueryState state, SelectList list)
    {
        var ops = new List<MethodCallExpression>();
        var current = node;
        while (current is MethodCallExpression call && call.Method.DeclaringType == typeof(Enumerable) && ChildOperators.Contains(call.Method.Name)
               && call.Arguments.Count >= 1)
        {
            ops.Insert(0, call);
            current = call.Arguments[0];
        }

        if (ChildRelationship(current, state) is not { } child)
        {
            return null;
        }

        var relationship = child.Relationship.RelationshipName;
        if (state.IsChild)
        {
            throw NotSupported(node, "SOQL nests child subqueries one level deep");
        }

        if (!list.ChildRelationships.Add(relationship))
        {
            throw NotSupported(node, $"the child relationship {relationship} is used twice; SOQL selects a relationship once");
        }

        var info = RecordInfo.For(child.ChildType) ?? throw NotSupported(node, $"{child.ChildType.Name} is not a generated record type");
        var sub = new QueryState(info, relationship, child: true);
        for (var i = 0; i < ops.Count; i++)
        {
            var op = ops[i];
            switch (op.Method.Name)
            {
                case nameof(Enumerable.Where) when op.Arguments[1] is LambdaExpression { Parameters.Count: 1 } predicate:
                    ApplyWhere(sub, predicate, op);
                    break;
                case nameof(Enumerable.Select) when op.Arguments[1] is LambdaExpression { Parameters.Count: 1 } selector:
                    sub.Element = Binder.Bind(selector, sub.Element);
                    break;
                case nameof(Enumerable.OrderBy) or nameof(Enumerable.OrderByDescending) or nameof(Enumerable.ThenBy) or nameof(Enumerable.ThenByDescending)
                    when op.Arguments.Count == 2:
                    ApplyOrder(sub, op);
                    break;
                case nameof(Enumerable.Take) or nameof(Enumerable.Skip) when op.Arguments[1].Type == typeof(int):
                    ApplyRowOp(sub, op, skip: op.Method.Name == nameof(Enumerable.Skip));
                    break;
                case nameof(Enumerable.ToList) or nameof(Enumerable.ToArray) when i == ops.Count - 1:
                    break;
                default:
                    throw NotSupported(op, $"{op.Method.Name} of a child relationship has no SOQL equivalent in this form");
            }
        }

        var childList = new SelectList();
        List<SoqlSelectItem> select;
        if (sub.Element == sub.Parameter)
        {
            select = DefaultItems(info, string.Empty);
        }
        else
        {
            new SelectCollector(this, sub, childList).Visit(sub.Element);
            select = childList.Build();
            if (select.Count == 0)
            {
                select.Add(new SoqlFieldItem(new SoqlField("Id")));
            }
        }

        var query = new SoqlQuery
        {
            Select = SoqlList.From(select),
            From = relationship,
            Where = Conjunction(sub.Where, havingForm: false),
            OrderBy = SoqlList.From(sub.Orderings.SelectMany(o => o)),
            Limit = sub.ChildLimit,
            Offset = sub.ChildOffset > 0 ? sub.ChildOffset : null,
        };
        var subquery = new SoqlSubquery(query);
        list.AddItem(subquery);
        return new ChildChain(current, ops.Count > 0 ? ops[^1] : null, sub, childList, subquery);
    }

    /// <summary>
    /// Rewrites a projection into the compiled selector: the element parameter becomes the record, slots read the values
    /// array, reads through relationships are null-safe, casts of polymorphic relationships become <c>as</c>, aliased
    /// functions read the record's additional fields, and child chains map the records the subquery returned.
    /// </summary>
    private sealed class ProjectionRewriter(LinqTranslator translator, SelectList list, ParameterExpression from, Expression to, ParameterExpression slots, Expression aliasSource)
        : ExpressionVisitor
    {
        public override Expression? Visit(Expression? node)
        {
            if (node is null)
            {
                return null;
            }

            if (translator._slots.TryGetSlot(node, out var slot))
            {
                return Expression.Convert(Expression.ArrayIndex(slots, Expression.Constant(slot)), node.Type);
            }

            if (list.Aliases.TryGetValue(node, out var alias))
            {
                return Expression.Call(ProjectionHelpers.AliasMethod.MakeGenericMethod(node.Type), Expression.Convert(aliasSource, typeof(SObject)), Expression.Constant(alias));
            }

            if (list.Children.TryGetValue(node, out var chain))
            {
                return Child(node, chain);
            }

            return base.Visit(node);
        }

        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;

        protected override Expression VisitMember(MemberExpression node)
        {
            if (node.Expression is not { } inner || !IsSObject(inner.Type) || inner == from)
            {
                return base.VisitMember(node);
            }

            var target = Visit(inner)!;
            var variable = Expression.Variable(target.Type, "parent");
            return Expression.Block(
                node.Type,
                [variable],
                Expression.Assign(variable, target),
                Expression.Condition(
                    Expression.ReferenceEqual(variable, Expression.Constant(null, target.Type)),
                    Expression.Default(node.Type),
                    Expression.MakeMemberAccess(variable, node.Member)));
        }

        protected override Expression VisitUnary(UnaryExpression node)
        {
            if (node.NodeType is ExpressionType.Convert or ExpressionType.TypeAs && IsSObject(node.Type) && IsSObject(node.Operand.Type)
                && !node.Type.IsAssignableFrom(node.Operand.Type))
            {
                return Expression.TypeAs(Visit(node.Operand)!, node.Type);
            }

            return base.VisitUnary(node);
        }

        protected override Expression VisitExtension(Expression node) => throw NotSupported(node, "a group cannot be read here");

        private Expression Child(Expression node, ChildChain chain)
        {
            // The relationship member itself, read from the record (not through the children map, which holds it when used whole).
            var member = VisitMember((MemberExpression)chain.Base);
            if (chain.Top is null)
            {
                return member;
            }

            var childType = chain.State.Root.Type;
            Expression items = Expression.Call(ProjectionHelpers.ChildrenMethod.MakeGenericMethod(childType), member);
            if (chain.State.Element != chain.State.Parameter)
            {
                var element = chain.State.Element;
                var childRecord = Expression.Parameter(childType, "child");
                var body = new ProjectionRewriter(translator, chain.List, chain.State.Parameter, childRecord, slots, childRecord).Visit(element)!;
                var selector = Expression.Lambda(typeof(Func<,>).MakeGenericType(childType, element.Type), body, childRecord);
                items = Expression.Call(typeof(Enumerable), nameof(Enumerable.Select), [childType, element.Type], items, selector);
            }

            var itemType = items.Type.GetGenericArguments()[0];
            items = chain.Top.Method.Name switch
            {
                nameof(Enumerable.ToList) => Expression.Call(typeof(Enumerable), nameof(Enumerable.ToList), [itemType], items),
                nameof(Enumerable.ToArray) => Expression.Call(typeof(Enumerable), nameof(Enumerable.ToArray), [itemType], items),
                nameof(Enumerable.OrderBy) or nameof(Enumerable.OrderByDescending) or nameof(Enumerable.ThenBy) or nameof(Enumerable.ThenByDescending)
                    => Expression.Call(ProjectionHelpers.OrderedMethod.MakeGenericMethod(itemType), items),
                _ => items,
            };

            if (!node.Type.IsAssignableFrom(items.Type))
            {
                throw NotSupported(node, "the child relationship's projection cannot be rebuilt on the returned records");
            }

            return items.Type == node.Type ? items : Expression.Convert(items, node.Type);
        }
    }

    private (List<SoqlSelectItem> Select, object Runner) BuildAggregateProjection(QueryState state)
    {
        if (state.Element is GroupingExpression)
        {
            throw new NotSupportedException(
                "A GroupBy query must select from each group: GroupBy(…).Select(g => new { g.Key, Count = g.Count(), Total = g.Sum(x => x.Amount) }).");
        }

        var leaves = new Dictionary<Expression, string>(ReferenceEqualityComparer.Instance);
        var aliases = new Dictionary<SoqlExpression, string>();
        var select = new List<SoqlSelectItem>();
        new AggregateCollector(this, state, leaves, aliases, select).Visit(state.Element);

        var slots = Expression.Parameter(typeof(object?[]), "slots");
        var row = Expression.Parameter(typeof(JsonElement), "row");
        var options = Expression.Parameter(typeof(JsonSerializerOptions), "options");
        var body = new AggregateRewriter(this, leaves, slots, row, options).Visit(state.Element)!;
        var delegateType = typeof(Func<,,,>).MakeGenericType(typeof(object?[]), typeof(JsonElement), typeof(JsonSerializerOptions), state.Element.Type);
        var projection = Expression.Lambda(delegateType, body, slots, row, options).Compile();
        var runner = Activator.CreateInstance(typeof(AggregateRunner<>).MakeGenericType(state.Element.Type), projection)!;
        return (select, runner);
    }

    private sealed class AggregateCollector(
        LinqTranslator translator, QueryState state, Dictionary<Expression, string> leaves, Dictionary<SoqlExpression, string> aliases, List<SoqlSelectItem> select)
        : ExpressionVisitor
    {
        public override Expression? Visit(Expression? node)
        {
            if (node is null || translator._slots.IsSlot(node))
            {
                return node;
            }

            if (node is ParameterExpression)
            {
                throw NotSupported(node, "the records of a group are not returned by SOQL; select the key and aggregates");
            }

            if (translator.TranslateOperand(node, state, Usage.Select) is { } operand && !operand.IsRelationship)
            {
                if (!aliases.TryGetValue(operand.Soql, out var alias))
                {
                    alias = translator.NextAlias();
                    aliases[operand.Soql] = alias;
                    select.Add(operand.Soql switch
                    {
                        SoqlField field => new SoqlFieldItem(field, alias),
                        SoqlFunction function => new SoqlFunctionItem(function, alias),
                        _ => throw NotSupported(node, "it cannot be selected"),
                    });
                }

                leaves[node] = alias;
                return node;
            }

            return base.Visit(node);
        }

        protected override Expression VisitExtension(Expression node)
            => throw NotSupported(node, "the records of a group are not returned by SOQL; select the key and aggregates");
    }

    private sealed class AggregateRewriter(
        LinqTranslator translator, Dictionary<Expression, string> leaves, ParameterExpression slots, ParameterExpression row, ParameterExpression options)
        : ExpressionVisitor
    {
        public override Expression? Visit(Expression? node)
        {
            if (node is null)
            {
                return null;
            }

            if (translator._slots.TryGetSlot(node, out var slot))
            {
                return Expression.Convert(Expression.ArrayIndex(slots, Expression.Constant(slot)), node.Type);
            }

            if (leaves.TryGetValue(node, out var alias))
            {
                return Expression.Call(ProjectionHelpers.ColumnMethod.MakeGenericMethod(node.Type), row, Expression.Constant(alias), options);
            }

            return base.Visit(node);
        }
    }
}

/// <summary>Helpers the compiled projections call.</summary>
internal static class ProjectionHelpers
{
    public static readonly MethodInfo ChildrenMethod = typeof(ProjectionHelpers).GetMethod(nameof(Children))!;
    public static readonly MethodInfo OrderedMethod = typeof(ProjectionHelpers).GetMethod(nameof(Ordered))!;
    public static readonly MethodInfo AliasMethod = typeof(ProjectionHelpers).GetMethod(nameof(Alias))!;
    public static readonly MethodInfo ColumnMethod = typeof(ProjectionHelpers).GetMethod(nameof(Column))!;

    /// <summary>The records of a child subquery (none when the parent had none).</summary>
    public static IEnumerable<T> Children<T>(ChildRecords<T>? records)
        where T : SObject
        => records ?? (IEnumerable<T>)[];

    /// <summary>Records already in the server's order, typed as ordered.</summary>
    public static IOrderedEnumerable<T> Ordered<T>(IEnumerable<T> items) => items.OrderBy(static _ => 0);

    /// <summary>A function's value, which the query selected under an alias.</summary>
    public static T? Alias<T>(SObject? record, string alias)
        => record is not null && record.AdditionalFields.TryGetValue(alias, out var value) ? JsonValues.Read<T>(value, Sdk.Runtime.Internal.JsonOptionsFactory.Default) : default;

    /// <summary>A column of an aggregate row.</summary>
    public static T? Column<T>(JsonElement row, string alias, JsonSerializerOptions options)
        => row.ValueKind == JsonValueKind.Object && row.TryGetProperty(alias, out var value) ? JsonValues.Read<T>(value, options) : default;
}
