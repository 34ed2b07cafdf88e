using System.Linq.Expressions;
using Sdk.Runtime.Soql;

namespace Sdk.Runtime.Query.Internal;

/// <summary>The groups of a <c>GroupBy</c> while a query is translated: the key and the element, in terms of the record.</summary>
internal sealed class GroupingExpression(Expression key, Expression element, Type type) : Expression
{
    public Expression Key { get; } = key;

    public Expression Element { get; } = element;

    public override ExpressionType NodeType => ExpressionType.Extension;

    public override Type Type { get; } = type;

    protected override Expression VisitChildren(ExpressionVisitor visitor) => this;

    public override string ToString() => "g";
}

/// <summary>A condition that folded to a constant (an empty IN list, a captured boolean).</summary>
internal sealed record SoqlConstantCondition(bool Value) : SoqlCondition
{
    public static SoqlConstantCondition True { get; } = new(true);

    public static SoqlConstantCondition False { get; } = new(false);
}

/// <summary>Replaces a lambda's parameter with an expression and folds member reads of projections (<c>new { A = e }.A</c> is <c>e</c>).</summary>
internal sealed class Binder : ExpressionVisitor
{
    private readonly ParameterExpression _parameter;
    private readonly Expression _replacement;

    private Binder(ParameterExpression parameter, Expression replacement)
    {
        _parameter = parameter;
        _replacement = replacement;
    }

    /// <summary>The lambda's body with its (first) parameter bound to <paramref name="element"/>.</summary>
    public static Expression Bind(LambdaExpression lambda, Expression element)
        => new Binder(lambda.Parameters[0], element).Visit(lambda.Body);

    protected override Expression VisitParameter(ParameterExpression node) => node == _parameter ? _replacement : node;

    protected override Expression VisitMember(MemberExpression node)
    {
        var inner = Visit(node.Expression);
        switch (inner)
        {
            case NewExpression { Members: { } members } created:
                for (var i = 0; i < members.Count; i++)
                {
                    if (members[i].Name == node.Member.Name)
                    {
                        return created.Arguments[i];
                    }
                }

                break;
            case MemberInitExpression init:
                foreach (var binding in init.Bindings)
                {
                    if (binding is MemberAssignment assignment && binding.Member.Name == node.Member.Name)
                    {
                        return assignment.Expression;
                    }
                }

                break;
            case GroupingExpression grouping when node.Member.Name == "Key":
                return grouping.Key;
        }

        return node.Update(inner);
    }

    protected override Expression VisitExtension(Expression node) => node;
}
