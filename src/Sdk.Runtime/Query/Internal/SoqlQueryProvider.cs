using System.Collections;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Sdk.Runtime.Internal;

namespace Sdk.Runtime.Query.Internal;

/// <summary>The LINQ provider: builds queries, translates them through <see cref="QueryPlanCache"/>, runs them asynchronously.</summary>
internal sealed class SoqlQueryProvider(SalesforceConnection connection) : IQueryProvider
{
    private const string SyncMessage =
        "Salesforce queries run asynchronously. Use await foreach, or ToListAsync(), FirstAsync(), FirstOrDefaultAsync(), SingleAsync(), CountAsync() or AnyAsync() (from Sdk.Runtime).";

    public SalesforceConnection Connection => connection;

    public ISoqlQueryable<T> CreateQuery<T>(Expression expression) => new SoqlQueryable<T>(this, expression);

    IQueryable<T> IQueryProvider.CreateQuery<T>(Expression expression) => CreateQuery<T>(expression);

    IQueryable IQueryProvider.CreateQuery(Expression expression)
    {
        var elementType = expression.Type.GetInterfaces().Prepend(expression.Type)
            .First(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IQueryable<>)).GetGenericArguments()[0];
        return (IQueryable)Activator.CreateInstance(typeof(SoqlQueryable<>).MakeGenericType(elementType), this, expression)!;
    }

    object? IQueryProvider.Execute(Expression expression) => throw new NotSupportedException(SyncMessage);

    TResult IQueryProvider.Execute<TResult>(Expression expression) => throw new NotSupportedException(SyncMessage);

    public string ToSoql(Expression expression, ShapeMemoHolder? memo = null) => QueryPlanCache.Prepare(expression, memo).Soql;

    public async IAsyncEnumerable<T> EnumerateAsync<T>(Expression expression, ShapeMemoHolder? memo, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prepared = QueryPlanCache.Prepare(expression, memo);
        var plan = prepared.Plan;
        var runner = (QueryRunner<T>)plan.Runner;
        var source = runner.RunAsync(connection, prepared.Soql, plan.Options(prepared.Values), prepared.Values, CancellationToken.None);
        await foreach (var item in source.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    public async Task<TResult> ExecuteAsync<TResult>(Expression expression, CancellationToken cancellationToken)
    {
        var prepared = QueryPlanCache.Prepare(expression);
        var plan = prepared.Plan;
        var soql = prepared.Soql;
        var options = plan.Options(prepared.Values);
        switch (plan.Kind)
        {
            case ResultKind.Count:
            case ResultKind.LongCount:
                var result = new QueryResult<System.Text.Json.JsonElement>(connection, soql, options, connection.GetTypeInfo<System.Text.Json.JsonElement>());
                var total = await result.GetTotalSizeAsync(cancellationToken).ConfigureAwait(false);
                return plan.Kind == ResultKind.Count ? (TResult)(object)total : (TResult)(object)(long)total;
            case ResultKind.Any:
                var rows = new QueryResult<System.Text.Json.JsonElement>(connection, soql, options, connection.GetTypeInfo<System.Text.Json.JsonElement>());
                await foreach (var _ in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    return (TResult)(object)true;
                }

                return (TResult)(object)false;
            default:
                var runner = (QueryRunner<TResult>)plan.Runner;
                var found = false;
                TResult value = default!;
                await foreach (var item in runner.RunAsync(connection, soql, options, prepared.Values, CancellationToken.None).WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    if (found)
                    {
                        throw new InvalidOperationException($"The query returned more than one element, so {plan.Kind}Async cannot return it. SOQL: {soql}");
                    }

                    value = item;
                    found = true;
                    if (plan.Kind is ResultKind.First or ResultKind.FirstOrDefault)
                    {
                        break;
                    }
                }

                if (!found && plan.Kind is ResultKind.First or ResultKind.Single)
                {
                    throw new InvalidOperationException($"The query returned no elements, so {plan.Kind}Async has nothing to return. SOQL: {soql}");
                }

                return value;
        }
    }
}

/// <summary>A LINQ to SOQL query: an expression tree and the provider that runs it.</summary>
internal sealed class SoqlQueryable<T> : ShapeMemoHolder, IOrderedSoqlQueryable<T>
{
    private readonly SoqlQueryProvider _provider;

    public SoqlQueryable(SoqlQueryProvider provider)
    {
        _provider = provider;
        Expression = Expression.Constant(this);
    }

    public SoqlQueryable(SoqlQueryProvider provider, Expression expression)
    {
        _provider = provider;
        Expression = expression;
    }

    public Type ElementType => typeof(T);

    public Expression Expression { get; }

    public IQueryProvider Provider => _provider;

    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
        => _provider.EnumerateAsync<T>(Expression, this, cancellationToken).GetAsyncEnumerator(cancellationToken);

    public IEnumerator<T> GetEnumerator() => throw new NotSupportedException(
        "Salesforce queries run asynchronously: use await foreach or ToListAsync() instead of foreach or ToList().");

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The SOQL text (for the debugger).</summary>
    public override string ToString()
    {
        try
        {
            return _provider.ToSoql(Expression, this);
        }
        catch (NotSupportedException ex)
        {
            return ex.Message;
        }
    }
}
