using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Sdk.Runtime.Soql;

namespace Sdk.Runtime.Query.Internal;

/// <summary>Generic method definitions the LINQ operators build calls to, with a cache of their instantiations.</summary>
internal static class QueryableMethods
{
    private static readonly ConcurrentDictionary<(MethodInfo, Type, Type?), MethodInfo> Instances = new();

    public static readonly MethodInfo Where = Find(typeof(Queryable), nameof(Queryable.Where), 2, p => p[1].ParameterType.GetGenericArguments()[0].GetGenericArguments().Length == 2);
    public static readonly MethodInfo Select = Find(typeof(Queryable), nameof(Queryable.Select), 2, p => p[1].ParameterType.GetGenericArguments()[0].GetGenericArguments().Length == 2);
    public static readonly MethodInfo OrderBy = Find(typeof(Queryable), nameof(Queryable.OrderBy), 2);
    public static readonly MethodInfo OrderByDescending = Find(typeof(Queryable), nameof(Queryable.OrderByDescending), 2);
    public static readonly MethodInfo ThenBy = Find(typeof(Queryable), nameof(Queryable.ThenBy), 2);
    public static readonly MethodInfo ThenByDescending = Find(typeof(Queryable), nameof(Queryable.ThenByDescending), 2);
    public static readonly MethodInfo Take = Find(typeof(Queryable), nameof(Queryable.Take), 2, p => p[1].ParameterType == typeof(int));
    public static readonly MethodInfo Skip = Find(typeof(Queryable), nameof(Queryable.Skip), 2, p => p[1].ParameterType == typeof(int));
    public static readonly MethodInfo GroupBy = Find(typeof(Queryable), nameof(Queryable.GroupBy), 2, p => p[0].ParameterType.GetGenericArguments().Length == 1 && p[1].ParameterType.GetGenericArguments()[0].GetGenericArguments().Length == 2);
    public static readonly MethodInfo First = Find(typeof(Queryable), nameof(Queryable.First), 1);
    public static readonly MethodInfo FirstPredicate = Find(typeof(Queryable), nameof(Queryable.First), 2);
    public static readonly MethodInfo FirstOrDefault = Find(typeof(Queryable), nameof(Queryable.FirstOrDefault), 1);
    public static readonly MethodInfo FirstOrDefaultPredicate = Find(typeof(Queryable), nameof(Queryable.FirstOrDefault), 2, IsPredicate);
    public static readonly MethodInfo Single = Find(typeof(Queryable), nameof(Queryable.Single), 1);
    public static readonly MethodInfo SinglePredicate = Find(typeof(Queryable), nameof(Queryable.Single), 2);
    public static readonly MethodInfo SingleOrDefault = Find(typeof(Queryable), nameof(Queryable.SingleOrDefault), 1);
    public static readonly MethodInfo SingleOrDefaultPredicate = Find(typeof(Queryable), nameof(Queryable.SingleOrDefault), 2, IsPredicate);
    public static readonly MethodInfo Count = Find(typeof(Queryable), nameof(Queryable.Count), 1);
    public static readonly MethodInfo CountPredicate = Find(typeof(Queryable), nameof(Queryable.Count), 2);
    public static readonly MethodInfo LongCount = Find(typeof(Queryable), nameof(Queryable.LongCount), 1);
    public static readonly MethodInfo LongCountPredicate = Find(typeof(Queryable), nameof(Queryable.LongCount), 2);
    public static readonly MethodInfo Any = Find(typeof(Queryable), nameof(Queryable.Any), 1);
    public static readonly MethodInfo AnyPredicate = Find(typeof(Queryable), nameof(Queryable.Any), 2);

    /// <summary>The instantiation of a generic method definition, cached.</summary>
    public static MethodInfo Of(this MethodInfo definition, Type t1) => Instances.GetOrAdd((definition, t1, null), static k => k.Item1.MakeGenericMethod(k.Item2));

    /// <summary>The instantiation of a generic method definition, cached.</summary>
    public static MethodInfo Of(this MethodInfo definition, Type t1, Type t2) => Instances.GetOrAdd((definition, t1, t2), static k => k.Item1.MakeGenericMethod(k.Item2, k.Item3!));

    internal static MethodInfo Find(Type type, string name, int parameters, Func<ParameterInfo[], bool>? filter = null)
        => type.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name == name && m.GetParameters() is var p && p.Length == parameters && (filter is null || filter(p)));

    private static bool IsPredicate(ParameterInfo[] p) => p[1].ParameterType.IsGenericType && p[1].ParameterType.GetGenericTypeDefinition() == typeof(Expression<>);
}

/// <summary>The SOQL-only operators of <see cref="SoqlQueryableExtensions"/>, as they appear in expression trees.</summary>
internal static class SoqlMethods
{
    public static readonly MethodInfo SelectFields = Own(nameof(SoqlQueryableExtensions.SelectFields), 2);
    public static readonly MethodInfo OrderByNulls = Own(nameof(SoqlQueryableExtensions.OrderBy), 3);
    public static readonly MethodInfo OrderByDescendingNulls = Own(nameof(SoqlQueryableExtensions.OrderByDescending), 3);
    public static readonly MethodInfo ThenByNulls = Own(nameof(SoqlQueryableExtensions.ThenBy), 3);
    public static readonly MethodInfo ThenByDescendingNulls = Own(nameof(SoqlQueryableExtensions.ThenByDescending), 3);
    public static readonly MethodInfo IncludeDeleted = Own(nameof(SoqlQueryableExtensions.IncludeDeleted), 1);
    public static readonly MethodInfo WithBatchSize = Own(nameof(SoqlQueryableExtensions.WithBatchSize), 2);
    public static readonly MethodInfo WithSecurityEnforced = Own(nameof(SoqlQueryableExtensions.WithSecurityEnforced), 1);
    public static readonly MethodInfo WithUserMode = Own(nameof(SoqlQueryableExtensions.WithUserMode), 1);
    public static readonly MethodInfo WithSystemMode = Own(nameof(SoqlQueryableExtensions.WithSystemMode), 1);
    public static readonly MethodInfo ForUpdate = Own(nameof(SoqlQueryableExtensions.ForUpdate), 1);
    public static readonly MethodInfo ForView = Own(nameof(SoqlQueryableExtensions.ForView), 1);
    public static readonly MethodInfo ForReference = Own(nameof(SoqlQueryableExtensions.ForReference), 1);

    private static MethodInfo Own(string name, int parameters)
        => QueryableMethods.Find(typeof(SoqlQueryableExtensions), name, parameters, p => parameters < 3 || p[2].ParameterType == typeof(SoqlNulls));
}
