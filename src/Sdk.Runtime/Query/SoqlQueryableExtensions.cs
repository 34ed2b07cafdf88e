using System.Linq.Expressions;
using System.Reflection;
using Sdk.Runtime.Query;
using Sdk.Runtime.Query.Internal;
using Sdk.Runtime.Soql;

namespace Sdk.Runtime;

/// <summary>
/// The operators of LINQ to SOQL. Each returns an <see cref="ISoqlQueryable{T}"/> (so <c>await foreach</c> works at any point);
/// nothing runs until the query is enumerated or one of the <c>…Async</c> operators is awaited.
/// </summary>
/// <remarks>
/// They are declared here, for <see cref="ISoqlQueryable{T}"/>, so that the compiler picks them over the
/// <see cref="Queryable"/> and <see cref="System.Linq.AsyncEnumerable"/> operators, which would be ambiguous for a type that is both.
/// </remarks>
[System.Diagnostics.CodeAnalysis.RequiresDynamicCode(LinqRequirements.DynamicCode)]
[System.Diagnostics.CodeAnalysis.RequiresUnreferencedCode(LinqRequirements.UnreferencedCode)]
public static class SoqlQueryableExtensions
{
    /// <summary>Filters: <c>WHERE</c> (or <c>HAVING</c> after <c>GroupBy</c>).</summary>
    public static ISoqlQueryable<T> Where<T>(this ISoqlQueryable<T> source, Expression<Func<T, bool>> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return Create<T>(source, QueryableMethods.Where.Of(typeof(T)), Expression.Quote(predicate));
    }

    /// <summary>
    /// Projects: the fields the selector reads become the SELECT list (parent paths, child subqueries and TYPEOF included),
    /// and the selector, compiled once, builds each result.
    /// </summary>
    public static ISoqlQueryable<TResult> Select<T, TResult>(this ISoqlQueryable<T> source, Expression<Func<T, TResult>> selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return Create<TResult>(source, QueryableMethods.Select.Of(typeof(T), typeof(TResult)), Expression.Quote(selector));
    }

    /// <summary>
    /// Reads whole records but selects only the listed fields instead of every generated one:
    /// <c>SelectFields(a =&gt; new { a.Name, a.Industry, a.Owner.Name })</c> or <c>SelectFields(a =&gt; a.Name)</c>.
    /// </summary>
    public static ISoqlQueryable<T> SelectFields<T>(this ISoqlQueryable<T> source, Expression<Func<T, object?>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return Create<T>(source, SoqlMethods.SelectFields.Of(typeof(T)), Expression.Quote(fields));
    }

    /// <summary>Sorts ascending: <c>ORDER BY key ASC</c>.</summary>
    public static IOrderedSoqlQueryable<T> OrderBy<T, TKey>(this ISoqlQueryable<T> source, Expression<Func<T, TKey>> keySelector)
        => Order(source, QueryableMethods.OrderBy, keySelector);

    /// <summary>Sorts ascending with nulls first or last: <c>ORDER BY key ASC NULLS LAST</c>.</summary>
    public static IOrderedSoqlQueryable<T> OrderBy<T, TKey>(this ISoqlQueryable<T> source, Expression<Func<T, TKey>> keySelector, SoqlNulls nulls)
        => Order(source, SoqlMethods.OrderByNulls, keySelector, nulls);

    /// <summary>Sorts descending: <c>ORDER BY key DESC</c>.</summary>
    public static IOrderedSoqlQueryable<T> OrderByDescending<T, TKey>(this ISoqlQueryable<T> source, Expression<Func<T, TKey>> keySelector)
        => Order(source, QueryableMethods.OrderByDescending, keySelector);

    /// <summary>Sorts descending with nulls first or last.</summary>
    public static IOrderedSoqlQueryable<T> OrderByDescending<T, TKey>(this ISoqlQueryable<T> source, Expression<Func<T, TKey>> keySelector, SoqlNulls nulls)
        => Order(source, SoqlMethods.OrderByDescendingNulls, keySelector, nulls);

    /// <summary>Adds an ascending sort key.</summary>
    public static IOrderedSoqlQueryable<T> ThenBy<T, TKey>(this IOrderedSoqlQueryable<T> source, Expression<Func<T, TKey>> keySelector)
        => Order(source, QueryableMethods.ThenBy, keySelector);

    /// <summary>Adds an ascending sort key with nulls first or last.</summary>
    public static IOrderedSoqlQueryable<T> ThenBy<T, TKey>(this IOrderedSoqlQueryable<T> source, Expression<Func<T, TKey>> keySelector, SoqlNulls nulls)
        => Order(source, SoqlMethods.ThenByNulls, keySelector, nulls);

    /// <summary>Adds a descending sort key.</summary>
    public static IOrderedSoqlQueryable<T> ThenByDescending<T, TKey>(this IOrderedSoqlQueryable<T> source, Expression<Func<T, TKey>> keySelector)
        => Order(source, QueryableMethods.ThenByDescending, keySelector);

    /// <summary>Adds a descending sort key with nulls first or last.</summary>
    public static IOrderedSoqlQueryable<T> ThenByDescending<T, TKey>(this IOrderedSoqlQueryable<T> source, Expression<Func<T, TKey>> keySelector, SoqlNulls nulls)
        => Order(source, SoqlMethods.ThenByDescendingNulls, keySelector, nulls);

    /// <summary>Returns at most <paramref name="count"/> records: <c>LIMIT</c>.</summary>
    public static ISoqlQueryable<T> Take<T>(this ISoqlQueryable<T> source, int count)
        => Create<T>(source, QueryableMethods.Take.Of(typeof(T)), Expression.Constant(count));

    /// <summary>Skips <paramref name="count"/> records: <c>OFFSET</c> (Salesforce allows at most 2,000).</summary>
    public static ISoqlQueryable<T> Skip<T>(this ISoqlQueryable<T> source, int count)
        => Create<T>(source, QueryableMethods.Skip.Of(typeof(T)), Expression.Constant(count));

    /// <summary>
    /// Groups: <c>GROUP BY</c>. Follow it with <c>Select(g =&gt; new { g.Key, Count = g.Count(), Total = g.Sum(o =&gt; o.Amount) })</c>;
    /// a <c>Where</c> on the groups becomes <c>HAVING</c>.
    /// </summary>
    public static ISoqlQueryable<IGrouping<TKey, T>> GroupBy<T, TKey>(this ISoqlQueryable<T> source, Expression<Func<T, TKey>> keySelector)
    {
        ArgumentNullException.ThrowIfNull(keySelector);
        return Create<IGrouping<TKey, T>>(source, QueryableMethods.GroupBy.Of(typeof(T), typeof(TKey)), Expression.Quote(keySelector));
    }

    /// <summary>Includes deleted and archived records: the <c>queryAll</c> resource.</summary>
    public static ISoqlQueryable<T> IncludeDeleted<T>(this ISoqlQueryable<T> source)
        => Create<T>(source, SoqlMethods.IncludeDeleted.Of(typeof(T)));

    /// <summary>Sets the page size (200 to 2,000 records) with the <c>Sforce-Query-Options</c> header.</summary>
    public static ISoqlQueryable<T> WithBatchSize<T>(this ISoqlQueryable<T> source, int batchSize)
    {
        if (batchSize is < 200 or > 2000)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The query batch size must be between 200 and 2000.");
        }

        return Create<T>(source, SoqlMethods.WithBatchSize.Of(typeof(T)), Expression.Constant(batchSize));
    }

    /// <summary><c>WITH SECURITY_ENFORCED</c>: fail when the user cannot read a selected field or object.</summary>
    public static ISoqlQueryable<T> WithSecurityEnforced<T>(this ISoqlQueryable<T> source)
        => Create<T>(source, SoqlMethods.WithSecurityEnforced.Of(typeof(T)));

    /// <summary><c>WITH USER_MODE</c>: run with the user's permissions, sharing and field-level security.</summary>
    public static ISoqlQueryable<T> WithUserMode<T>(this ISoqlQueryable<T> source)
        => Create<T>(source, SoqlMethods.WithUserMode.Of(typeof(T)));

    /// <summary><c>WITH SYSTEM_MODE</c>.</summary>
    public static ISoqlQueryable<T> WithSystemMode<T>(this ISoqlQueryable<T> source)
        => Create<T>(source, SoqlMethods.WithSystemMode.Of(typeof(T)));

    /// <summary><c>FOR UPDATE</c>: lock the records (meaningful inside a transaction; the REST API accepts it).</summary>
    public static ISoqlQueryable<T> ForUpdate<T>(this ISoqlQueryable<T> source)
        => Create<T>(source, SoqlMethods.ForUpdate.Of(typeof(T)));

    /// <summary><c>FOR VIEW</c>: update the records' last-viewed date.</summary>
    public static ISoqlQueryable<T> ForView<T>(this ISoqlQueryable<T> source)
        => Create<T>(source, SoqlMethods.ForView.Of(typeof(T)));

    /// <summary><c>FOR REFERENCE</c>: update the records' last-referenced date.</summary>
    public static ISoqlQueryable<T> ForReference<T>(this ISoqlQueryable<T> source)
        => Create<T>(source, SoqlMethods.ForReference.Of(typeof(T)));

    /// <summary>The SOQL this query sends, with the current values of captured variables.</summary>
    /// <exception cref="NotSupportedException">Part of the query cannot be expressed in SOQL; the message names it.</exception>
    public static string ToSoql<T>(this ISoqlQueryable<T> source) => ProviderOf(source).ToSoql(source.Expression, source as ShapeMemoHolder);

    /// <summary>Runs the query and reads every result into a list.</summary>
    public static async Task<List<T>> ToListAsync<T>(this ISoqlQueryable<T> source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var list = new List<T>();
        await foreach (var item in source.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            list.Add(item);
        }

        return list;
    }

    /// <summary>Runs the query and reads every result into an array.</summary>
    public static async Task<T[]> ToArrayAsync<T>(this ISoqlQueryable<T> source, CancellationToken cancellationToken = default)
        => [.. await source.ToListAsync(cancellationToken).ConfigureAwait(false)];

    /// <summary>The first result (<c>LIMIT 1</c>).</summary>
    /// <exception cref="InvalidOperationException">There is none.</exception>
    public static Task<T> FirstAsync<T>(this ISoqlQueryable<T> source, CancellationToken cancellationToken = default)
        => Execute<T, T>(source, QueryableMethods.First, null, cancellationToken);

    /// <summary>The first result that matches (<c>WHERE … LIMIT 1</c>).</summary>
    /// <exception cref="InvalidOperationException">There is none.</exception>
    public static Task<T> FirstAsync<T>(this ISoqlQueryable<T> source, Expression<Func<T, bool>> predicate, CancellationToken cancellationToken = default)
        => Execute<T, T>(source, QueryableMethods.FirstPredicate, predicate, cancellationToken);

    /// <summary>The first result, or the default when there is none.</summary>
    public static Task<T?> FirstOrDefaultAsync<T>(this ISoqlQueryable<T> source, CancellationToken cancellationToken = default)
        => Execute<T, T?>(source, QueryableMethods.FirstOrDefault, null, cancellationToken);

    /// <summary>The first result that matches, or the default when there is none.</summary>
    public static Task<T?> FirstOrDefaultAsync<T>(this ISoqlQueryable<T> source, Expression<Func<T, bool>> predicate, CancellationToken cancellationToken = default)
        => Execute<T, T?>(source, QueryableMethods.FirstOrDefaultPredicate, predicate, cancellationToken);

    /// <summary>The only result (<c>LIMIT 2</c> to detect a second).</summary>
    /// <exception cref="InvalidOperationException">There is none, or more than one.</exception>
    public static Task<T> SingleAsync<T>(this ISoqlQueryable<T> source, CancellationToken cancellationToken = default)
        => Execute<T, T>(source, QueryableMethods.Single, null, cancellationToken);

    /// <summary>The only result that matches.</summary>
    /// <exception cref="InvalidOperationException">There is none, or more than one.</exception>
    public static Task<T> SingleAsync<T>(this ISoqlQueryable<T> source, Expression<Func<T, bool>> predicate, CancellationToken cancellationToken = default)
        => Execute<T, T>(source, QueryableMethods.SinglePredicate, predicate, cancellationToken);

    /// <summary>The only result, or the default when there is none.</summary>
    /// <exception cref="InvalidOperationException">There is more than one.</exception>
    public static Task<T?> SingleOrDefaultAsync<T>(this ISoqlQueryable<T> source, CancellationToken cancellationToken = default)
        => Execute<T, T?>(source, QueryableMethods.SingleOrDefault, null, cancellationToken);

    /// <summary>The only result that matches, or the default when there is none.</summary>
    /// <exception cref="InvalidOperationException">There is more than one.</exception>
    public static Task<T?> SingleOrDefaultAsync<T>(this ISoqlQueryable<T> source, Expression<Func<T, bool>> predicate, CancellationToken cancellationToken = default)
        => Execute<T, T?>(source, QueryableMethods.SingleOrDefaultPredicate, predicate, cancellationToken);

    /// <summary>The number of matching records: <c>SELECT COUNT() …</c>.</summary>
    public static Task<int> CountAsync<T>(this ISoqlQueryable<T> source, CancellationToken cancellationToken = default)
        => Execute<T, int>(source, QueryableMethods.Count, null, cancellationToken);

    /// <summary>The number of records that match the predicate.</summary>
    public static Task<int> CountAsync<T>(this ISoqlQueryable<T> source, Expression<Func<T, bool>> predicate, CancellationToken cancellationToken = default)
        => Execute<T, int>(source, QueryableMethods.CountPredicate, predicate, cancellationToken);

    /// <summary>The number of matching records, as a long.</summary>
    public static Task<long> LongCountAsync<T>(this ISoqlQueryable<T> source, CancellationToken cancellationToken = default)
        => Execute<T, long>(source, QueryableMethods.LongCount, null, cancellationToken);

    /// <summary>The number of records that match the predicate, as a long.</summary>
    public static Task<long> LongCountAsync<T>(this ISoqlQueryable<T> source, Expression<Func<T, bool>> predicate, CancellationToken cancellationToken = default)
        => Execute<T, long>(source, QueryableMethods.LongCountPredicate, predicate, cancellationToken);

    /// <summary>Whether any record matches (<c>SELECT Id … LIMIT 1</c>).</summary>
    public static Task<bool> AnyAsync<T>(this ISoqlQueryable<T> source, CancellationToken cancellationToken = default)
        => Execute<T, bool>(source, QueryableMethods.Any, null, cancellationToken);

    /// <summary>Whether any record matches the predicate.</summary>
    public static Task<bool> AnyAsync<T>(this ISoqlQueryable<T> source, Expression<Func<T, bool>> predicate, CancellationToken cancellationToken = default)
        => Execute<T, bool>(source, QueryableMethods.AnyPredicate, predicate, cancellationToken);

    private static ISoqlQueryable<TResult> Create<TResult>(IQueryable source, MethodInfo method, params Expression[] arguments)
    {
        var provider = ProviderOf(source);
        var sourceExpression = source.Expression;
        if (method.DeclaringType == typeof(SoqlQueryableExtensions))
        {
            // The SOQL-only operators take ISoqlQueryable<T>; the Queryable operators type their calls as IQueryable<T>.
            var parameterType = method.GetParameters()[0].ParameterType;
            if (!parameterType.IsAssignableFrom(sourceExpression.Type))
            {
                sourceExpression = Expression.Convert(sourceExpression, parameterType);
            }
        }

        return provider.CreateQuery<TResult>(Expression.Call(null, method, [sourceExpression, .. arguments]));
    }

    private static IOrderedSoqlQueryable<T> Order<T, TKey>(ISoqlQueryable<T> source, MethodInfo definition, Expression<Func<T, TKey>> keySelector)
    {
        ArgumentNullException.ThrowIfNull(keySelector);
        return (IOrderedSoqlQueryable<T>)Create<T>(source, definition.Of(typeof(T), typeof(TKey)), Expression.Quote(keySelector));
    }

    private static IOrderedSoqlQueryable<T> Order<T, TKey>(ISoqlQueryable<T> source, MethodInfo definition, Expression<Func<T, TKey>> keySelector, SoqlNulls nulls)
    {
        ArgumentNullException.ThrowIfNull(keySelector);
        return (IOrderedSoqlQueryable<T>)Create<T>(source, definition.Of(typeof(T), typeof(TKey)), Expression.Quote(keySelector), Expression.Constant(nulls));
    }

    private static Task<TResult> Execute<T, TResult>(ISoqlQueryable<T> source, MethodInfo definition, LambdaExpression? predicate, CancellationToken cancellationToken)
    {
        var provider = ProviderOf(source);
        var method = definition.Of(typeof(T));
        var call = predicate is null
            ? Expression.Call(null, method, source.Expression)
            : Expression.Call(null, method, source.Expression, Expression.Quote(predicate));
        return provider.ExecuteAsync<TResult>(call, cancellationToken);
    }

    /// <summary>
    /// Runs the query as a Bulk API 2.0 query job (<c>queryAll</c> after <see cref="IncludeDeleted{T}"/>) and streams the rows
    /// into typed records page by page: for large results, with memory that does not grow with the row count.
    /// </summary>
    /// <remarks>Bulk queries return records of the queried type (parent fields included); projections, subqueries and aggregates are not supported.</remarks>
    public static IAsyncEnumerable<T> AsBulk<T>(this ISoqlQueryable<T> source, Bulk.BulkQueryOptions? options = null)
        where T : Records.SObject, Records.ISObjectType<T>
    {
        var provider = ProviderOf(source);
        var prepared = QueryPlanCache.Prepare(source.Expression, source as ShapeMemoHolder);
        return Bulk.BulkClient.QueryFromLinq<T>(provider.Connection, prepared.Soql, prepared.Plan.IncludeDeleted, options);
    }

    private static SoqlQueryProvider ProviderOf(IQueryable source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.Provider as SoqlQueryProvider
            ?? throw new ArgumentException("The query does not come from SalesforceClient.Query<T>().", nameof(source));
    }
}
