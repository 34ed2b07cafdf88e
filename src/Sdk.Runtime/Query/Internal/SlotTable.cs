using System.Collections;
using System.Linq.Expressions;

namespace Sdk.Runtime.Query.Internal;

/// <summary>What a cached translation assumed about a slot's value; a later execution reuses it only when this still holds.</summary>
internal enum GuardKind
{
    /// <summary>The value equals <see cref="Guard.Expected"/>.</summary>
    Equals,

    /// <summary>The value is (or is not) an empty collection.</summary>
    IsEmpty,
}

/// <summary>An assumption about a slot's value.</summary>
internal readonly record struct Guard(int Slot, GuardKind Kind, object? Expected)
{
    public bool Holds(object?[] values) => Kind switch
    {
        GuardKind.Equals => Equals(values[Slot], Expected),
        _ => SlotTable.IsEmptyCollection(values[Slot]) == (bool)Expected!,
    };
}

/// <summary>The slots of the query being translated: which node is which slot, their values, and the guards the translation used.</summary>
internal sealed class SlotTable
{
    private readonly Dictionary<Expression, int> _index;
    private readonly object?[] _values;
    private readonly Dictionary<Expression, Expression>? _inlined;
    private readonly List<Guard> _guards = [];

    public SlotTable(IReadOnlyList<Expression> slots, object?[] values, Dictionary<Expression, Expression>? inlined)
    {
        _index = new Dictionary<Expression, int>(slots.Count, ReferenceEqualityComparer.Instance);
        for (var i = 0; i < slots.Count; i++)
        {
            _index.TryAdd(slots[i], i);
        }

        _values = values;
        _inlined = inlined;
    }

    public IReadOnlyList<Guard> Guards => _guards;

    public bool TryGetSlot(Expression node, out int slot) => _index.TryGetValue(node, out slot);

    public bool IsSlot(Expression node) => _index.ContainsKey(node);

    /// <summary>The value of a slot the translation depends on (its shape, not only its text); recorded as a guard.</summary>
    public object? Structural(int slot)
    {
        var value = _values[slot];
        AddGuard(new Guard(slot, GuardKind.Equals, value));
        return value;
    }

    /// <summary>Whether a slot holds an empty collection; recorded as a guard.</summary>
    public bool IsEmpty(int slot)
    {
        var empty = IsEmptyCollection(_values[slot]);
        AddGuard(new Guard(slot, GuardKind.IsEmpty, empty));
        return empty;
    }

    /// <summary>The expression a captured query stands for, or the node itself.</summary>
    public Expression Inline(Expression node) => _inlined is not null && _inlined.TryGetValue(node, out var inlined) ? inlined : node;

    internal static bool IsEmptyCollection(object? value) => value switch
    {
        null => true,
        string => false,
        ICollection c => c.Count == 0,
        IEnumerable e => !e.GetEnumerator().MoveNext(),
        _ => false,
    };

    private void AddGuard(Guard guard)
    {
        if (!_guards.Contains(guard))
        {
            _guards.Add(guard);
        }
    }
}
