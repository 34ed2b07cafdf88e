using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;

namespace Sdk.Runtime.Query.Internal;

/// <summary>
/// Evaluates a closed subtree (no lambda parameters): constants, captured variables and property chains directly,
/// anything else by compiling it. Per-shape compiled evaluators are cached by <see cref="QueryPlanCache"/>.
/// </summary>
internal static class ValueEvaluator
{
    private static readonly ConcurrentDictionary<MemberInfo, Func<object?, object?>> Getters = new();

    /// <summary>Evaluates without compiling, when the subtree is simple (constants, fields, properties, conversions, arrays).</summary>
    public static bool TryEvaluate(Expression expression, out object? value)
    {
        switch (expression)
        {
            case ConstantExpression c:
                value = c.Value;
                return true;
            case MemberExpression m:
                object? target = null;
                if (m.Expression is not null && (!TryEvaluate(m.Expression, out target) || target is null))
                {
                    break;
                }

                if (m.Member is FieldInfo or PropertyInfo)
                {
                    value = Getter(m.Member)(target);
                    return true;
                }

                break;
            case UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } u:
                if (!TryEvaluate(u.Operand, out var operand))
                {
                    break;
                }

                if (u.Method is { } method)
                {
                    if (operand is null && (u.IsLiftedToNull || !u.Operand.Type.IsValueType))
                    {
                        if (u.IsLiftedToNull)
                        {
                            value = null;
                            return true;
                        }

                        break;
                    }

                    value = method.Invoke(null, [operand]);
                    return true;
                }

                var target2 = Nullable.GetUnderlyingType(u.Type) ?? u.Type;
                if (operand is null || target2 == typeof(object) || target2.IsInstanceOfType(operand))
                {
                    value = operand;
                    return true;
                }

                break;
            case NewArrayExpression { NodeType: ExpressionType.NewArrayInit } array:
                var elementType = array.Type.GetElementType()!;
                var result = Array.CreateInstance(elementType, array.Expressions.Count);
                for (var i = 0; i < array.Expressions.Count; i++)
                {
                    if (!TryEvaluate(array.Expressions[i], out var element))
                    {
                        value = null;
                        return false;
                    }

                    result.SetValue(element, i);
                }

                value = result;
                return true;
        }

        value = null;
        return false;
    }

    /// <summary>A compiled reader of a field or property (captured variables are fields of closure objects), made once per member.</summary>
    private static Func<object?, object?> Getter(MemberInfo member) => Getters.GetOrAdd(member, static m =>
    {
        var target = Expression.Parameter(typeof(object), "target");
        var instance = m switch
        {
            FieldInfo { IsStatic: true } or PropertyInfo { GetMethod.IsStatic: true } => null,
            _ => Expression.Convert(target, m.DeclaringType!),
        };
        var read = Expression.MakeMemberAccess(instance, m);
        return Expression.Lambda<Func<object?, object?>>(Expression.Convert(read, typeof(object)), target).Compile();
    });

    /// <summary>Evaluates, compiling when the subtree is not simple.</summary>
    public static object? Evaluate(Expression expression)
        => TryEvaluate(expression, out var value) ? value : Compile(expression, out var constants)(constants);

    /// <summary>
    /// Compiles a closed subtree into a function of its constants (in visit order), so the compiled code serves every
    /// execution of the shape whatever the captured objects are.
    /// </summary>
    public static Func<object?[], object?> Compile(Expression expression, out object?[] constants)
    {
        var lifter = new ConstantLifter();
        var body = lifter.Visit(expression);
        constants = [.. lifter.Values];
        var lambda = Expression.Lambda<Func<object?[], object?>>(Expression.Convert(body, typeof(object)), lifter.Parameter);
        return lambda.Compile();
    }

    /// <summary>The constants of a subtree in the order <see cref="Compile"/> expects them.</summary>
    public static object?[] Constants(Expression expression)
    {
        var lifter = new ConstantLifter();
        lifter.Visit(expression);
        return [.. lifter.Values];
    }

    private sealed class ConstantLifter : ExpressionVisitor
    {
        public ParameterExpression Parameter { get; } = Expression.Parameter(typeof(object?[]), "constants");

        public List<object?> Values { get; } = [];

        protected override Expression VisitConstant(ConstantExpression node)
        {
            Values.Add(node.Value);
            return Expression.Convert(Expression.ArrayIndex(Parameter, Expression.Constant(Values.Count - 1)), node.Type);
        }
    }
}
