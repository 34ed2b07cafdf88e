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

        Write((char)(node.NodeType + 1));
        WriteHandle(node.Type.TypeHandle.Value);
        var result = node switch
        {
            ConstantExpression c => VisitConstant(c),
            ParameterExpression p => VisitParameter(p),
            MemberExpression m => VisitMember(m),
            MethodCallExpression call => VisitCall(call),
            BinaryExpression b => VisitBinary(b),
            UnaryExpression u => VisitUnary(u),
            LambdaExpression l => VisitLambda(l),
            NewExpression n => VisitNew(n),
            MemberInitExpression mi => VisitMemberInit(mi),
            NewArrayExpression na => VisitChildren(node, na.Expressions),
            ConditionalExpression c => VisitConditional(c),
            TypeBinaryExpression tb => VisitTypeBinary(tb),
            InvocationExpression inv => VisitInvocation(inv),
            ListInitExpression li => VisitListInit(li),
            DefaultExpression => Closed,
            _ => Unknown(node),
        };

        if (result != Open && (node.Type.IsByRefLike || typeof(IQueryable).IsAssignableFrom(node.Type)))
        {
            result = Open;
        }

        return result;
    }

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
        if (inner >= Depth && typeof(IQueryable).IsAssignableFrom(node.Type))
        {
            // A captured query: its expression is part of the shape.
            Inline(node, (IQueryable)ValueEvaluator.Evaluate(node)!);
            return Open;
        }

        if (inner >= Depth && node.Type.IsByRefLike)
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

        if (result >= Depth && typeof(IQueryable).IsAssignableFrom(node.Type) && !IsQueryOperator(node.Method))
        {
            // A method returning a query (not an operator): run it now and take its expression as part of the shape.
            Inline(node, (IQueryable)ValueEvaluator.Evaluate(node)!);
            return Open;
        }

        if (result < Depth || node.Type.IsByRefLike || typeof(IQueryable).IsAssignableFrom(node.Type))
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
        if (operand < Depth || node.Type.IsByRefLike)
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
        WriteInt(node.Parameters.Count);
        foreach (var p in node.Parameters)
        {
            WriteHandle(p.Type.TypeHandle.Value);
            _parameters.Add(p);
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
        foreach (var arg in node.Arguments)
        {
            result = Combine(result, Visit(arg));
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
        if (child is null || result < depth || child is LambdaExpression || child.NodeType == ExpressionType.Quote
            || child.Type.IsByRefLike || child.Type == typeof(void) || typeof(IQueryable).IsAssignableFrom(child.Type))
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
