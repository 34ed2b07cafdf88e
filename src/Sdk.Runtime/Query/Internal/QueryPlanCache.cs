using System.Collections.Concurrent;
using System.Linq.Expressions;

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

    public static PreparedQuery Prepare(Expression expression)
    {
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

            var values = entry.Evaluate(walker.Slots);
            var plan = entry.Find(values);
            if (plan is null)
            {
                var slots = new SlotTable(walker.Slots, values, walker.Inlined);
                plan = LinqTranslator.Translate(expression, slots);
                Interlocked.Increment(ref s_translations);
                entry.Add(plan);
            }

            return new PreparedQuery(plan, values);
        }
        finally
        {
            walker.Return();
        }
    }

    private sealed class ShapeEntry(int slotCount)
    {
        private readonly Func<object?[], object?>?[] _evaluators = new Func<object?[], object?>?[slotCount];
        private readonly bool[] _needsCompile = new bool[slotCount];
        private readonly Lock _gate = new();
        private QueryPlan[] _plans = [];

        public object?[] Evaluate(List<Expression> slots)
        {
            var values = slots.Count == 0 ? [] : new object?[slots.Count];
            for (var i = 0; i < slots.Count; i++)
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
