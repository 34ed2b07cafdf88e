namespace Sdk.Runtime.Query;

/// <summary>
/// A LINQ query over Salesforce records that is translated to SOQL. Compose it with the operators of
/// <see cref="SoqlQueryableExtensions"/> (<c>Where</c>, <c>Select</c>, <c>OrderBy</c>, <c>Take</c>, <c>GroupBy</c>, …) and run it
/// asynchronously: <c>await foreach</c>, <c>ToListAsync</c>, <c>FirstAsync</c>, <c>CountAsync</c>, … Synchronous enumeration
/// throws, because every query is a network call.
/// </summary>
/// <typeparam name="T">The element type: a generated record, or what a <c>Select</c> projects.</typeparam>
public interface ISoqlQueryable<out T> : IQueryable<T>, IAsyncEnumerable<T>
{
}

/// <summary>A <see cref="ISoqlQueryable{T}"/> with an order, which <c>ThenBy</c> refines.</summary>
/// <typeparam name="T">The element type.</typeparam>
public interface IOrderedSoqlQueryable<out T> : ISoqlQueryable<T>, IOrderedQueryable<T>
{
}
