using System.Linq.Expressions;
using Sdk.Runtime.Records;
using Sdk.Runtime.Soql;
using Sdk.Runtime.Soql.Internal;

namespace Sdk.Runtime.Query.Internal;

internal sealed partial class LinqTranslator
{
    private SoqlCondition TranslateCondition(Expression expression, QueryState state)
    {
        if (_slots.TryGetSlot(expression, out var slot))
        {
            // A condition that does not depend on the record (a captured flag): it folds, and the cache keys on its value.
            return _slots.Structural(slot) is true ? SoqlConstantCondition.True : SoqlConstantCondition.False;
        }

        switch (expression.NodeType)
        {
            case ExpressionType.AndAlso:
            case ExpressionType.And when expression.Type == typeof(bool):
                var and = (BinaryExpression)expression;
                var left = TranslateCondition(and.Left, state);
                return left is SoqlConstantCondition { Value: false } ? left : And(left, TranslateCondition(and.Right, state));
            case ExpressionType.OrElse:
            case ExpressionType.Or when expression.Type == typeof(bool):
                var or = (BinaryExpression)expression;
                var first = TranslateCondition(or.Left, state);
                return first is SoqlConstantCondition { Value: true } ? first : Or(first, TranslateCondition(or.Right, state));
            case ExpressionType.Not when expression.Type == typeof(bool):
                return Negate(TranslateCondition(((UnaryExpression)expression).Operand, state));
            case ExpressionType.Equal:
            case ExpressionType.NotEqual:
            case ExpressionType.LessThan:
            case ExpressionType.LessThanOrEqual:
            case ExpressionType.GreaterThan:
            case ExpressionType.GreaterThanOrEqual:
                return Comparison((BinaryExpression)expression, state);
            case ExpressionType.MemberAccess:
                var member = (MemberExpression)expression;
                if (member.Member.Name == "HasValue" && member.Expression is { } nullable && Nullable.GetUnderlyingType(nullable.Type) is not null)
                {
                    var operand = TranslateOperand(nullable, state, Usage.Filter) ?? throw NotSupported(expression, "HasValue applies to a field");
                    return WithCast(operand, new SoqlComparison(operand.Soql, SoqlOperator.NotEqual, SoqlNull.Instance));
                }

                return BooleanField(expression, state, true);
            case ExpressionType.Convert when expression.Type == typeof(bool):
                return BooleanField(((UnaryExpression)expression).Operand, state, true);
            case ExpressionType.Coalesce:
                var coalesce = (BinaryExpression)expression;
                if (_slots.TryGetSlot(coalesce.Right, out var fallback) && _slots.Structural(fallback) is bool whenNull)
                {
                    // Flag ?? false is "Flag = true"; Flag ?? true is "Flag != false".
                    return BooleanField(coalesce.Left, state, true, whenNull);
                }

                throw NotSupported(expression, "?? in a condition needs a constant true or false on its right");
            case ExpressionType.Call:
                return MethodCondition((MethodCallExpression)expression, state);
            case ExpressionType.TypeIs:
                var typeIs = (TypeBinaryExpression)expression;
                var record = ResolveRecord(typeIs.Expression, state);
                var target = RecordInfo.For(typeIs.TypeOperand);
                if (record is not { Depth: > 0, Polymorphic: true } || target is null)
                {
                    throw NotSupported(expression, "'is' tests the type of a polymorphic relationship (What, Who, Owner) against a generated record type");
                }

                return new SoqlComparison(new SoqlField(record.Prefix + "Type"), SoqlOperator.Equal, new SoqlString(target.Name));
            default:
                throw NotSupported(expression, "SOQL conditions are comparisons of fields with values, joined by &&, || and !");
        }
    }

    private SoqlCondition BooleanField(Expression expression, QueryState state, bool value, bool nullMeansTrue = false)
    {
        var inner = expression;
        if (inner is MethodCallExpression { Method.Name: "GetValueOrDefault", Arguments.Count: 0, Object: { } target })
        {
            inner = target;
        }

        var operand = TranslateOperand(inner, state, Usage.Filter);
        var type = Strip(inner).Type;
        if (operand is null || (Nullable.GetUnderlyingType(type) ?? type) != typeof(bool))
        {
            throw NotSupported(expression, "a condition must be a comparison or a boolean field");
        }

        return WithCast(operand, nullMeansTrue
            ? new SoqlComparison(operand.Soql, SoqlOperator.NotEqual, new SoqlBoolean(!value))
            : new SoqlComparison(operand.Soql, SoqlOperator.Equal, new SoqlBoolean(value)));
    }

    private SoqlCondition Comparison(BinaryExpression comparison, QueryState state)
    {
        var op = comparison.NodeType;
        if (CompareCall(comparison.Left) is { } left && IsZero(comparison.Right))
        {
            return Compare(left.A, left.B, op, comparison, state);
        }

        if (CompareCall(comparison.Right) is { } right && IsZero(comparison.Left))
        {
            return Compare(right.A, right.B, Flip(op), comparison, state);
        }

        return Compare(comparison.Left, comparison.Right, op, comparison, state);
    }

    private SoqlCondition Compare(Expression left, Expression right, ExpressionType op, Expression whole, QueryState state)
    {
        var l = TranslateOperand(left, state, Usage.Filter);
        var r = TranslateOperand(right, state, Usage.Filter);
        if (l is not null && r is not null)
        {
            throw NotSupported(whole, "SOQL compares a field with a value, not with another field");
        }

        var valueSide = right;
        if (l is null)
        {
            l = r ?? throw NotSupported(whole, "neither side is a field of the queried object or of its parents");
            valueSide = left;
            op = Flip(op);
        }

        var soqlOperator = op switch
        {
            ExpressionType.Equal => SoqlOperator.Equal,
            ExpressionType.NotEqual => SoqlOperator.NotEqual,
            ExpressionType.LessThan => SoqlOperator.LessThan,
            ExpressionType.LessThanOrEqual => SoqlOperator.LessThanOrEqual,
            ExpressionType.GreaterThan => SoqlOperator.GreaterThan,
            _ => SoqlOperator.GreaterThanOrEqual,
        };

        if (!_slots.TryGetSlot(valueSide, out var slot))
        {
            throw NotSupported(whole, $"'{valueSide}' must be a value that does not depend on the record");
        }

        if (l.IsRelationship)
        {
            if (soqlOperator is not (SoqlOperator.Equal or SoqlOperator.NotEqual) || _slots.Structural(slot) is not null)
            {
                throw NotSupported(whole, "a relationship can only be compared with null; compare its Id field to test for a record");
            }

            return new SoqlComparison(l.Soql, soqlOperator, SoqlNull.Instance);
        }

        return WithCast(l, new SoqlComparison(l.Soql, soqlOperator, new SoqlParameter(slot, ParameterFormat.Value)));
    }

    private static (Expression A, Expression B)? CompareCall(Expression expression) => expression switch
    {
        MethodCallExpression { Method.Name: nameof(string.Compare), Object: null, Arguments.Count: 2 } call when call.Method.DeclaringType == typeof(string)
            => (call.Arguments[0], call.Arguments[1]),
        MethodCallExpression { Method.Name: nameof(string.CompareTo), Object: { } target, Arguments.Count: 1 } call
            => (target, call.Arguments[0]),
        _ => null,
    };

    private bool IsZero(Expression expression)
        => _slots.TryGetSlot(expression, out var slot) && _slots.Structural(slot) is 0;

    private static ExpressionType Flip(ExpressionType op) => op switch
    {
        ExpressionType.LessThan => ExpressionType.GreaterThan,
        ExpressionType.LessThanOrEqual => ExpressionType.GreaterThanOrEqual,
        ExpressionType.GreaterThan => ExpressionType.LessThan,
        ExpressionType.GreaterThanOrEqual => ExpressionType.LessThanOrEqual,
        _ => op,
    };

    private SoqlCondition MethodCondition(MethodCallExpression call, QueryState state)
    {
        var method = call.Method;
        var name = method.Name;
        if (method.DeclaringType == typeof(string))
        {
            switch (name)
            {
                case nameof(string.StartsWith) when call.Object is not null:
                    return Like(call, state, ParameterFormat.LikeStartsWith);
                case nameof(string.EndsWith) when call.Object is not null:
                    return Like(call, state, ParameterFormat.LikeEndsWith);
                case nameof(string.Contains) when call.Object is not null:
                    return Like(call, state, ParameterFormat.LikeContains);
                case nameof(string.Equals):
                    var args = call.Object is null ? call.Arguments : [call.Object, .. call.Arguments];
                    if (args.Count == 3)
                    {
                        RequireIgnoreCase(call, args[2]);
                    }

                    return Compare(args[0], args[1], ExpressionType.Equal, call, state);
                case nameof(string.IsNullOrEmpty):
                case nameof(string.IsNullOrWhiteSpace):
                    var field = TranslateOperand(call.Arguments[0], state, Usage.Filter) ?? throw NotSupported(call, $"{name} applies to a field");
                    return WithCast(field, new SoqlComparison(field.Soql, SoqlOperator.Equal, SoqlNull.Instance));
            }
        }

        if (IsMethod(method, typeof(Soql), nameof(Soql.Like)))
        {
            var field = TranslateOperand(call.Arguments[0], state, Usage.Filter) ?? throw NotSupported(call, "Soql.Like applies to a field");
            return WithCast(field, new SoqlLike(field.Soql, new SoqlParameter(SlotOf(call.Arguments[1], call), ParameterFormat.LikeRaw).Marker));
        }

        if (IsPicklistSet(call.Object?.Type) && name is "Contains" or "Includes" or "Excludes")
        {
            var field = TranslateOperand(call.Object!, state, Usage.Filter) ?? throw NotSupported(call, $"{name} applies to a multi-select picklist field");
            var slot = SlotOf(call.Arguments[0], call);
            var excludes = name == "Excludes";
            if (name != "Contains" && _slots.IsEmpty(slot))
            {
                return excludes ? SoqlConstantCondition.True : SoqlConstantCondition.False;
            }

            return WithCast(field, new SoqlIncludes(field.Soql, excludes, SoqlList.From([new SoqlParameter(slot, ParameterFormat.IncludesList).Marker])));
        }

        if (name == "Contains" && ContainsArguments(call) is { } contains)
        {
            return In(contains.Collection, contains.Item, call, state);
        }

        if (method.DeclaringType == typeof(Enumerable) && name == nameof(Enumerable.Any) && ChildRelationship(call.Arguments[0], state) is { } child)
        {
            return ChildSemiJoin(call, child, state);
        }

        if (name == nameof(Equals) && call.Object is not null && call.Arguments.Count == 1)
        {
            return Compare(call.Object, call.Arguments[0], ExpressionType.Equal, call, state);
        }

        if (name == "GetValueOrDefault" && call.Type == typeof(bool))
        {
            return BooleanField(call, state, true);
        }

        throw NotSupported(call, $"the method {method.DeclaringType?.Name}.{name} has no SOQL equivalent");
    }

    private SoqlCondition Like(MethodCallExpression call, QueryState state, ParameterFormat format)
    {
        var field = TranslateOperand(call.Object!, state, Usage.Filter)
            ?? throw NotSupported(call, $"{call.Method.Name} applies to a text field");
        if (call.Arguments.Count == 2)
        {
            RequireIgnoreCase(call, call.Arguments[1]);
        }
        else if (call.Arguments.Count != 1)
        {
            throw NotSupported(call, "SOQL LIKE has no culture argument");
        }

        var slot = SlotOf(call.Arguments[0], call);
        return WithCast(field, new SoqlLike(field.Soql, new SoqlParameter(slot, format).Marker));
    }

    private void RequireIgnoreCase(Expression call, Expression comparison)
    {
        var value = _slots.TryGetSlot(comparison, out var slot) ? _slots.Structural(slot) : null;
        if (value is not (StringComparison.OrdinalIgnoreCase or StringComparison.InvariantCultureIgnoreCase or StringComparison.CurrentCultureIgnoreCase))
        {
            throw NotSupported(call, "SOQL compares text case-insensitively, so only the IgnoreCase comparisons can be translated");
        }
    }

    private static bool IsPicklistSet(Type? type) => type is { IsGenericType: true } && type.GetGenericTypeDefinition() == typeof(PicklistSet<>);

    /// <summary>The collection and item of <c>list.Contains(x.Field)</c> in its forms: instance, <see cref="Enumerable"/>, and spans (C# 14).</summary>
    private static (Expression Collection, Expression Item)? ContainsArguments(MethodCallExpression call)
    {
        if (call.Object is not null && call.Arguments.Count == 1 && call.Object.Type != typeof(string) && !IsPicklistSet(call.Object.Type))
        {
            return (call.Object, call.Arguments[0]);
        }

        if (call.Object is null && call.Arguments.Count == 2
            && (call.Method.DeclaringType == typeof(Enumerable) || call.Method.DeclaringType == typeof(Queryable) || call.Method.DeclaringType == typeof(MemoryExtensions)))
        {
            return (UnwrapSpan(call.Arguments[0]), call.Arguments[1]);
        }

        return null;
    }

    /// <summary>The array behind an implicit conversion to a span (how C# 14 binds <c>array.Contains(x)</c>).</summary>
    private static Expression UnwrapSpan(Expression expression) => expression switch
    {
        MethodCallExpression { Method.Name: "op_Implicit", Arguments.Count: 1 } call when call.Type.IsByRefLike => call.Arguments[0],
        UnaryExpression { NodeType: ExpressionType.Convert } convert when convert.Type.IsByRefLike => convert.Operand,
        _ => expression,
    };

    private SoqlCondition In(Expression collection, Expression item, Expression call, QueryState state)
    {
        var field = TranslateOperand(item, state, Usage.Filter)
            ?? throw NotSupported(call, "Contains tests a field against a collection of values or a subquery");
        var source = _slots.Inline(collection);
        if (typeof(IQueryable).IsAssignableFrom(source.Type))
        {
            return WithCast(field, new SoqlIn(field.Soql, false, SoqlList<SoqlValue>.Empty, SemiJoin(source, call)));
        }

        if (!_slots.TryGetSlot(collection, out var slot))
        {
            throw NotSupported(call, "the collection must not depend on the record");
        }

        // An empty IN list is not valid SOQL; Contains on an empty collection is simply false.
        return _slots.IsEmpty(slot)
            ? SoqlConstantCondition.False
            : WithCast(field, new SoqlIn(field.Soql, false, SoqlList.From<SoqlValue>([new SoqlParameter(slot, ParameterFormat.List)])));
    }

    /// <summary>The subquery of a semi-join: <c>client.Query&lt;Contact&gt;().Select(c =&gt; c.AccountId)</c>.</summary>
    private SoqlQuery SemiJoin(Expression source, Expression call)
    {
        var sub = TranslateChain(source);
        if (sub.Orderings.Count > 0 || sub.RowOps.Count > 0 || sub.Group is not null || sub.For is not null || sub.IncludeDeleted)
        {
            throw NotSupported(call, "a semi-join subquery cannot order, limit, group or lock");
        }

        var selected = ResolveField(Strip(sub.Element), sub)
            ?? throw NotSupported(call, "a semi-join subquery must select one Id or lookup field (Select(c => c.AccountId))");
        return new SoqlQuery
        {
            Select = SoqlList.From<SoqlSelectItem>([new SoqlFieldItem(new SoqlField(selected.Path))]),
            From = sub.From,
            Where = Conjunction(sub.Where, havingForm: false),
        };
    }

    private RecordInfo.ChildMember? ChildRelationship(Expression expression, QueryState state)
        => expression is MemberExpression { Expression: { } inner } member && ResolveRecord(inner, state) is { Depth: 0, Record: { } record }
            ? record.Child(member.Member.Name)
            : null;

    /// <summary><c>a.Contacts.Any(c =&gt; …)</c>: <c>Id IN (SELECT AccountId FROM Contact WHERE …)</c>.</summary>
    private SoqlCondition ChildSemiJoin(MethodCallExpression call, RecordInfo.ChildMember child, QueryState state)
    {
        var info = RecordInfo.For(child.ChildType) ?? throw NotSupported(call, $"{child.ChildType.Name} is not a generated record type");
        var sub = new QueryState(info, child.Relationship.ChildSObject, child: false);
        if (call.Arguments.Count == 2)
        {
            ApplyWhere(sub, (LambdaExpression)call.Arguments[1], call);
        }

        var query = new SoqlQuery
        {
            Select = SoqlList.From<SoqlSelectItem>([new SoqlFieldItem(new SoqlField(child.Relationship.Field))]),
            From = child.Relationship.ChildSObject,
            Where = Conjunction(sub.Where, havingForm: false),
        };
        return new SoqlIn(new SoqlField("Id"), false, SoqlList<SoqlValue>.Empty, query);
    }

    private static SoqlCondition WithCast(Operand operand, SoqlCondition condition)
        => operand.Owner is { CastPath: { } path, CastType: { } type }
            ? new SoqlAnd(SoqlList.From<SoqlCondition>([new SoqlComparison(new SoqlField(path + ".Type"), SoqlOperator.Equal, new SoqlString(type)), condition]))
            : condition;

    private static SoqlCondition And(SoqlCondition left, SoqlCondition right) => (left, right) switch
    {
        (SoqlConstantCondition { Value: false }, _) or (_, SoqlConstantCondition { Value: false }) => SoqlConstantCondition.False,
        (SoqlConstantCondition { Value: true }, _) => right,
        (_, SoqlConstantCondition { Value: true }) => left,
        _ => new SoqlAnd(SoqlList.From(Flatten<SoqlAnd>(left, right, a => a.Operands))),
    };

    private static SoqlCondition Or(SoqlCondition left, SoqlCondition right) => (left, right) switch
    {
        (SoqlConstantCondition { Value: true }, _) or (_, SoqlConstantCondition { Value: true }) => SoqlConstantCondition.True,
        (SoqlConstantCondition { Value: false }, _) => right,
        (_, SoqlConstantCondition { Value: false }) => left,
        _ => new SoqlOr(SoqlList.From(Flatten<SoqlOr>(left, right, o => o.Operands))),
    };

    private static IEnumerable<SoqlCondition> Flatten<T>(SoqlCondition left, SoqlCondition right, Func<T, IEnumerable<SoqlCondition>> operands)
        where T : SoqlCondition
        => (left is T l ? operands(l) : [left]).Concat(right is T r ? operands(r) : [right]);

    private static SoqlCondition Negate(SoqlCondition condition) => condition switch
    {
        SoqlConstantCondition c => c.Value ? SoqlConstantCondition.False : SoqlConstantCondition.True,
        SoqlComparison { Operator: SoqlOperator.Equal } c => c with { Operator = SoqlOperator.NotEqual },
        SoqlComparison { Operator: SoqlOperator.NotEqual } c => c with { Operator = SoqlOperator.Equal },
        SoqlIn i => i with { Negated = !i.Negated },
        SoqlIncludes i => i with { Excludes = !i.Excludes },
        SoqlNot n => n.Operand,
        _ => new SoqlNot(condition),
    };
}
