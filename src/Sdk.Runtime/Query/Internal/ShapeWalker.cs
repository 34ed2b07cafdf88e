using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Sdk.Runtime.Query.Internal;

/// <summary>
/// One pass over a query's expression tree that (1) writes its shape, everything but the values of constants, as a
/// compact key for the translation cache, and (2) finds the slots: the largest subtrees that do not depend on a lambda
/// parameter (captured variables, constants, <c>SoqlDate.LastNDays(30)</c>, …). Slots become literals, evaluated once
/// per execution; the cached translation is reused for any values with the same shape.
/// </summary>
internal sealed class ShapeWalker
{
    private const int Open = -1;
    private const int Closed = int.MaxValue;

    [ThreadStatic]
    private static ShapeWalker? t_cached;

    private readonly List<Expression> _slots = new(8);
    private readonly List<ParameterExpression> _parameters = new(4);
    private readonly List<int> _lambdaStarts = new(4);
    private readonly Dictionary<nint, int> _typeFlags = [];
    private char[] _key = new char[256];
    private int _length;

    public ReadOnlySpan<char> Key => _key.AsSpan(0, _length);

    public List<Expression> Slots => _slots;

    /// <summary>Captured queries (a variable holding an <see cref="ISoqlQueryable{T}"/>) and the expression each stands for.</summary>
    public Dictionary<Expression, Expression>? Inlined { get; private set; }

    /// <summary>Whether the tree holds a node the key cannot describe; such queries are translated every time.</summary>
    public bool Uncacheable { get; private set; }

    public static ShapeWalker Rent()
    {
        var walker = t_cached ?? new ShapeWalker();
        t_cached = null;
        return walker;
    }

    public void Return()
    {
        _slots.Clear();
        _parameters.Clear();
        _lambdaStarts.Clear();
        _length = 0;
        Inlined = null;
        Uncacheable = false;
        if (_key.Length <= 4096)
        {
            t_cached = this;
        }
    }

    public void Walk(Expression expression) => Visit(expression);

    private int Depth => _lambdaStarts.Count;

    private int Visit(Expression? node)
    {
        if (node is null)
        {
            Write('\0');
            return Closed;
        }

        var nodeType = node.NodeType;
        var type = node.Type;
        Write((char)(nodeType + 1));
        if (nodeType is not (ExpressionType.MemberAccess or ExpressionType.Parameter or ExpressionType.Lambda or ExpressionType.Quote))
        {
            // A member's, a parameter's, a lambda's and a quote's types follow from what the key writes for them.
            WriteHandle(type.TypeHandle.Value);
        }
        var result = nodeType switch
        {
            ExpressionType.Constant => VisitConstant(Unsafe.As<ConstantExpression>(node)),
            ExpressionType.Parameter => VisitParameter(Unsafe.As<ParameterExpression>(node)),
            ExpressionType.MemberAccess => VisitMember(Unsafe.As<MemberExpression>(node)),
            ExpressionType.Call => VisitCall(Unsafe.As<MethodCallExpression>(node)),
            ExpressionType.Lambda => VisitLambda(Unsafe.As<LambdaExpression>(node)),
            ExpressionType.New => VisitNew(Unsafe.As<NewExpression>(node)),
            ExpressionType.MemberInit => VisitMemberInit(Unsafe.As<MemberInitExpression>(node)),
            ExpressionType.NewArrayInit or ExpressionType.NewArrayBounds => VisitChildren(node, Unsafe.As<NewArrayExpression>(node).Expressions),
            ExpressionType.Conditional => VisitConditional(Unsafe.As<ConditionalExpression>(node)),
            ExpressionType.TypeIs or ExpressionType.TypeEqual => VisitTypeBinary(Unsafe.As<TypeBinaryExpression>(node)),
            ExpressionType.Invoke => VisitInvocation(Unsafe.As<InvocationExpression>(node)),
            ExpressionType.ListInit => VisitListInit(Unsafe.As<ListInitExpression>(node)),
            ExpressionType.Default => Closed,
            _ => node switch
            {
                UnaryExpression u => VisitUnary(u),
                BinaryExpression b => VisitBinary(b),
                _ => Unknown(node),
            },
        };

        // Only these kinds of node can hold a query or a ref struct (the others are operators, lambdas and constructors of values).
        if (result != Open && nodeType is ExpressionType.Constant or ExpressionType.MemberAccess or ExpressionType.Call or ExpressionType.Convert
                or ExpressionType.ConvertChecked or ExpressionType.TypeAs or ExpressionType.Conditional or ExpressionType.Invoke or ExpressionType.Parameter
            && Flags(type) != 0)
        {
            result = Open;
        }

        return result;
    }

    /// <summary>Whether values of the type cannot be slots: 1 = a query, 2 = a ref struct. Cached per type for the walk's speed.</summary>
    private int Flags(Type type)
    {
        var handle = type.TypeHandle.Value;
        if (_typeFlags.TryGetValue(handle, out var flags))
        {
            return flags;
        }

        flags = (typeof(IQueryable).IsAssignableFrom(type) ? 1 : 0) | (type.IsByRefLike ? 2 : 0);
        if (_typeFlags.Count > 4096)
        {
            _typeFlags.Clear();
        }

        _typeFlags[handle] = flags;
        return flags;
    }

    private bool IsQuery(Type type) => (Flags(type) & 1) != 0;

    private int Unknown(Expression node)
    {
        Uncacheable = true;
        return Open;
    }

    private int VisitConstant(ConstantExpression node)
    {
        if (node.Value is IQueryable query)
        {
            if (query.Expression is ConstantExpression root && root.Value == query)
            {
                return Open; // A query root: its type (written above) is its shape.
            }

            Inline(node, query);
            return Open;
        }

        return Closed;
    }

    private int VisitParameter(ParameterExpression node)
    {
        var index = _parameters.LastIndexOf(node);
        if (index < 0)
        {
            Uncacheable = true;
            return Open;
        }

        WriteInt(index);
        var depth = _lambdaStarts.Count - 1;
        while (depth > 0 && _lambdaStarts[depth] > index)
        {
            depth--;
        }

        return depth;
    }

    private int VisitMember(MemberExpression node)
    {
        WriteMember(node.Member);
        var inner = Visit(node.Expression);
        if (inner >= Depth && IsQuery(node.Type))
        {
            // A captured query: its expression is part of the shape.
            Inline(node, (IQueryable)ValueEvaluator.Evaluate(node)!);
            return Open;
        }

        if (inner >= Depth && (Flags(node.Type) & 2) != 0)
        {
            Slot(node.Expression, inner);
            return Open;
        }

        return inner;
    }

    private int VisitCall(MethodCallExpression node)
    {
        WriteMember(node.Method);
        var args = node.Arguments;
        Span<int> results = args.Count <= 8 ? stackalloc int[args.Count] : new int[args.Count];
        var instance = Visit(node.Object);
        var result = instance;
        for (var i = 0; i < args.Count; i++)
        {
            results[i] = Visit(args[i]);
            result = Combine(result, results[i]);
        }

        if (result >= Depth && IsQuery(node.Type) && !IsQueryOperator(node.Method))
        {
            // A method returning a query (not an operator): run it now and take its expression as part of the shape.
            Inline(node, (IQueryable)ValueEvaluator.Evaluate(node)!);
            return Open;
        }

        if (result < Depth || Flags(node.Type) != 0)
        {
            Slot(node.Object, instance);
            for (var i = 0; i < args.Count; i++)
            {
                Slot(args[i], results[i]);
            }

            return Open;
        }

        return result;
    }

    private int VisitBinary(BinaryExpression node)
    {
        if (node.Method is { } method)
        {
            WriteMember(method);
        }

        var left = Visit(node.Left);
        var right = Visit(node.Right);
        var conversion = node.Conversion is null ? Closed : Visit(node.Conversion);
        var result = Combine(Combine(left, right), conversion);
        if (result < Depth)
        {
            Slot(node.Left, left);
            Slot(node.Right, right);
        }

        return result;
    }

    private int VisitUnary(UnaryExpression node)
    {
        if (node.Method is { } method)
        {
            WriteMember(method);
        }

        var operand = Visit(node.Operand);
        if (operand < Depth || (Flags(node.Type) & 2) != 0)
        {
            Slot(node.Operand, operand);
            return Open;
        }

        return operand;
    }

    private int VisitLambda(LambdaExpression node)
    {
        var depth = Depth;
        _lambdaStarts.Add(_parameters.Count);
        var parameters = node.Parameters;
        WriteInt(parameters.Count);
        for (var i = 0; i < parameters.Count; i++)
        {
            WriteHandle(parameters[i].Type.TypeHandle.Value);
            _parameters.Add(parameters[i]);
        }

        var body = Visit(node.Body);
        if (body >= depth + 1)
        {
            // The body is closed on its own (x => 5): its value is a slot, the lambda stays a lambda.
            Slot(node.Body, body, depth + 1);
        }

        _parameters.RemoveRange(_lambdaStarts[depth], _parameters.Count - _lambdaStarts[depth]);
        _lambdaStarts.RemoveAt(depth);
        return body < depth ? body : Closed;
    }

    private int VisitNew(NewExpression node)
    {
        if (node.Constructor is { } ctor)
        {
            WriteMember(ctor);
        }

        return VisitChildren(node, node.Arguments);
    }

    private int VisitMemberInit(MemberInitExpression node)
    {
        var result = VisitNew(node.NewExpression);
        var bindings = node.Bindings;
        Span<int> results = bindings.Count <= 16 ? stackalloc int[bindings.Count] : new int[bindings.Count];
        for (var i = 0; i < bindings.Count; i++)
        {
            WriteMember(bindings[i].Member);
            if (bindings[i] is not MemberAssignment assignment)
            {
                Uncacheable = true;
                return Open;
            }

            results[i] = Visit(assignment.Expression);
            result = Combine(result, results[i]);
        }

        if (result < Depth)
        {
            for (var i = 0; i < bindings.Count; i++)
            {
                Slot(((MemberAssignment)bindings[i]).Expression, results[i]);
            }
        }

        return result;
    }

    private int VisitChildren(Expression node, System.Collections.ObjectModel.ReadOnlyCollection<Expression> children)
    {
        WriteInt(children.Count);
        Span<int> results = children.Count <= 16 ? stackalloc int[children.Count] : new int[children.Count];
        var result = Closed;
        for (var i = 0; i < children.Count; i++)
        {
            results[i] = Visit(children[i]);
            result = Combine(result, results[i]);
        }

        if (result < Depth)
        {
            for (var i = 0; i < children.Count; i++)
            {
                Slot(children[i], results[i]);
            }
        }

        return result;
    }

    private int VisitConditional(ConditionalExpression node)
    {
        var test = Visit(node.Test);
        var ifTrue = Visit(node.IfTrue);
        var ifFalse = Visit(node.IfFalse);
        var result = Combine(Combine(test, ifTrue), ifFalse);
        if (result < Depth)
        {
            Slot(node.Test, test);
            Slot(node.IfTrue, ifTrue);
            Slot(node.IfFalse, ifFalse);
        }

        return result;
    }

    private int VisitTypeBinary(TypeBinaryExpression node)
    {
        WriteHandle(node.TypeOperand.TypeHandle.Value);
        return Visit(node.Expression);
    }

    private int VisitInvocation(InvocationExpression node)
    {
        var target = Visit(node.Expression);
        var result = target;
        for (var i = 0; i < node.Arguments.Count; i++)
        {
            result = Combine(result, Visit(node.Arguments[i]));
        }

        if (result < Depth)
        {
            Uncacheable = true; // Invoking a delegate inside a query is not translatable anyway.
        }

        return result;
    }

    private int VisitListInit(ListInitExpression node)
    {
        var result = VisitNew(node.NewExpression);
        foreach (var init in node.Initializers)
        {
            WriteMember(init.AddMethod);
            foreach (var arg in init.Arguments)
            {
                result = Combine(result, Visit(arg));
            }
        }

        if (result < Depth)
        {
            Uncacheable = true;
        }

        return result;
    }

    private static int Combine(int a, int b) => a < b ? a : b;

    /// <summary>Makes a closed child of an open node a slot (unless it cannot hold a value).</summary>
    private void Slot(Expression? child, int result) => Slot(child, result, Depth);

    private void Slot(Expression? child, int result, int depth)
    {
        if (child is null || result < depth || child.NodeType is ExpressionType.Lambda or ExpressionType.Quote
            || Flags(child.Type) != 0 || child.Type == typeof(void))
        {
            return;
        }

        _slots.Add(child);
    }

    private void Inline(Expression node, IQueryable query)
    {
        Inlined ??= new Dictionary<Expression, Expression>(ReferenceEqualityComparer.Instance);
        Inlined[node] = query.Expression;
        Write('\u0001');
        Visit(query.Expression);
    }

    private static bool IsQueryOperator(MethodInfo method)
        => method.DeclaringType == typeof(Queryable) || method.DeclaringType == typeof(SoqlQueryableExtensions)
            || (method.DeclaringType == typeof(SalesforceClient) && method.Name == nameof(SalesforceClient.Query));

    private void WriteMember(MemberInfo member)
    {
        nint handle = member switch
        {
            MethodBase m => m.MethodHandle.Value,
            FieldInfo f => f.FieldHandle.Value,
            PropertyInfo p => p.GetMethod?.MethodHandle.Value ?? p.SetMethod?.MethodHandle.Value ?? p.MetadataToken,
            _ => member.MetadataToken,
        };
        WriteHandle(handle);
        if (member.DeclaringType is { } declaring)
        {
            WriteHandle(declaring.TypeHandle.Value);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Write(char c)
    {
        if (_length == _key.Length)
        {
            Array.Resize(ref _key, _key.Length * 2);
        }

        _key[_length++] = c;
    }

    private void WriteHandle(nint handle)
    {
        if (_length + 4 > _key.Length)
        {
            Array.Resize(ref _key, _key.Length * 2);
        }

        var value = (ulong)handle;
        _key[_length] = (char)value;
        _key[_length + 1] = (char)(value >> 16);
        _key[_length + 2] = (char)(value >> 32);
        _key[_length + 3] = (char)(value >> 48);
        _length += 4;
    }

    private void WriteInt(int value)
    {
        Write((char)value);
        Write((char)(value >> 16));
    }
}
