using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Sdk.Runtime.Records;

/// <summary>
/// How generated records hold their value-type fields (checkboxes, numbers, dates, datetimes, times): the value itself,
/// without <see cref="Nullable{T}"/>'s flag and padding, and whether there is one as a bit of a mask the record keeps for
/// all of them (64 fields a mask). A <c>decimal?</c> field takes 16 bytes, not 24. Used by generated record code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SObjectValues
{
    /// <summary>The field's value: <paramref name="value"/> when <paramref name="bit"/> is set in <paramref name="present"/>, else null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T? Get<T>(T value, ulong present, ulong bit)
        where T : struct
        => (present & bit) != 0 ? value : null;

    /// <summary>Stores <paramref name="value"/>: its value in <paramref name="slot"/> (the default for null) and whether it has one as <paramref name="bit"/> of <paramref name="present"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Set<T>(ref T slot, ref ulong present, ulong bit, T? value)
        where T : struct
    {
        slot = value.GetValueOrDefault();
        present = value.HasValue ? present | bit : present & ~bit;
    }

    /// <summary>Stores a value (what a reader does for a non-empty field: no nullable in between).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Put<T>(ref T slot, ref ulong present, ulong bit, T value)
        where T : struct
    {
        slot = value;
        present |= bit;
    }

    /// <summary>Stores null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Clear<T>(ref T slot, ref ulong present, ulong bit)
        where T : struct
    {
        slot = default;
        present &= ~bit;
    }
}
