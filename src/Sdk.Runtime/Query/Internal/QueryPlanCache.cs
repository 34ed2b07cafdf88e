using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Runtime.InteropServices;

namespace Sdk.Runtime.Query.Internal;

/// <summary>A query ready to run: its plan and the values of its slots for this execution.</summary>
internal readonly record struct PreparedQuery(QueryPlan Plan, object?[] Values)
{
    public string Soql => Plan.Render(Values);
}

/// <summary>
/// The translations of query shapes. A shape is the expression tree without its values (see <see cref="ShapeWalker"/>);
/// each shape keeps the plans translated for it, each valid under its guards. A hit costs one walk of the tree, the
/// evaluation of the captured values and the writing of the SOQL text.
/// </summary>
internal static class QueryPlanCache
{
    private const int MaxShapes = 4096;
    private const int MaxPlansPerShape = 32;

    private static readonly ConcurrentDictionary<string, ShapeEntry> Shapes = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, ShapeEntry>.AlternateLookup<ReadOnlySpan<char>> Lookup = Shapes.GetAlternateLookup<ReadOnlySpan<char>>();

    private static long s_translations;

    /// <summary>The number of shapes cached (for tests).</summary>
    internal static int Count => Shapes.Count;

    /// <summary>How many translations ran (for tests: a cache hit does not translate).</summary>
    internal static long Translations => Interlocked.Read(ref s_translations);

    /// <summary>
    /// Prepares a query. <paramref name="memo"/> remembers, for a query object translated before, its shape entry and slots,
    /// so translating the same object again skips the walk (its tree cannot change; only the captured values are read again).
    /// </summary>
    public static PreparedQuery Prepare(Expression expression, ShapeMemoHolder? memo = null)
    {
        if (memo?.Memo is { } remembered)
        {
            var values = remembered.Entry.Evaluate(remembered.Slots);
            if (remembered.Entry.Find(values) is { } known)
            {
                return new PreparedQuery(known, values);
            }
        }

        var walker = ShapeWalker.Rent();
        try
        {
            walker.Walk(expression);
            ShapeEntry entry;
            if (walker.Uncacheable)
            {
                entry = new ShapeEntry(walker.Slots.Count);
            }
            else if (!Lookup.TryGetValue(walker.Key, out entry!))
            {
                entry = new ShapeEntry(walker.Slots.Count);
                if (Shapes.Count < MaxShapes)
                {
                    entry = Shapes.GetOrAdd(new string(walker.Key), entry);
                }
            }

            var values = entry.Evaluate(CollectionsMarshal.AsSpan(walker.Slots));
            var plan = entry.Find(values);
            if (plan is null)
            {
                var slots = new SlotTable(walker.Slots, values, walker.Inlined);
                plan = LinqTranslator.Translate(expression, slots);
                Interlocked.Increment(ref s_translations);
                entry.Add(plan);
            }

            if (memo is not null && !walker.Uncacheable && walker.Inlined is null)
            {
                // A captured query could be swapped for another, changing the shape; only plain trees are remembered.
                memo.Memo = new ShapeMemo(entry, [.. walker.Slots]);
            }

            return new PreparedQuery(plan, values);
        }
        finally
        {
            walker.Return();
        }
    }

    /// <summary>Translates without the cache (the benchmarks' cold path): walk, evaluate, translate, compile, write.</summary>
    internal static string ToSoqlUncached(Expression expression)
    {
        var walker = ShapeWalker.Rent();
        try
        {
            walker.Walk(expression);
            var values = new ShapeEntry(walker.Slots.Count).Evaluate(CollectionsMarshal.AsSpan(walker.Slots));
            var plan = LinqTranslator.Translate(expression, new SlotTable(walker.Slots, values, walker.Inlined));
            return plan.Render(values);
        }
        finally
        {
            walker.Return();
        }
    }

    internal sealed class ShapeEntry(int slotCount)
    {
        private readonly Func<object?[], object?>?[] _evaluators = new Func<object?[], object?>?[slotCount];
        private readonly bool[] _needsCompile = new bool[slotCount];
        private readonly Lock _gate = new();
        private QueryPlan[] _plans = [];

        public object?[] Evaluate(ReadOnlySpan<Expression> slots)
        {
            var values = slots.Length == 0 ? [] : new object?[slots.Length];
            for (var i = 0; i < slots.Length; i++)
            {
                if (!_needsCompile[i] && ValueEvaluator.TryEvaluate(slots[i], out var value))
                {
                    values[i] = value;
                    continue;
                }

                _needsCompile[i] = true;
                var evaluator = _evaluators[i];
                object?[] constants;
                if (evaluator is null)
                {
                    evaluator = ValueEvaluator.Compile(slots[i], out constants);
                    _evaluators[i] = evaluator;
                }
                else
                {
                    constants = ValueEvaluator.Constants(slots[i]);
                }

                values[i] = evaluator(constants);
            }

            return values;
        }

        public QueryPlan? Find(object?[] values)
        {
            foreach (var plan in _plans)
            {
                if (plan.Matches(values))
                {
                    return plan;
                }
            }

            return null;
        }

        public void Add(QueryPlan plan)
        {
            lock (_gate)
            {
                if (_plans.Length < MaxPlansPerShape)
                {
                    _plans = [.. _plans, plan];
                }
            }
        }
    }
}

/// <summary>A query object's remembered shape: its cache entry and its slots.</summary>
internal sealed record ShapeMemo(QueryPlanCache.ShapeEntry Entry, Expression[] Slots);

/// <summary>Something that remembers the shape of its (immutable) expression tree.</summary>
internal class ShapeMemoHolder
{
    public ShapeMemo? Memo { get; set; }
}
