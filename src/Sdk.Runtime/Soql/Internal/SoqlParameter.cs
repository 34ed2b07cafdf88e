namespace Sdk.Runtime.Soql.Internal;

/// <summary>How a LINQ parameter's value is written into the SOQL text.</summary>
internal enum ParameterFormat
{
    /// <summary>A literal: <c>'text'</c>, <c>42</c>, <c>2024-01-02</c>, <c>LAST_N_DAYS:30</c>, <c>null</c>.</summary>
    Value,

    /// <summary>The inside of a LIKE pattern that starts with the text.</summary>
    LikeStartsWith,

    /// <summary>The inside of a LIKE pattern that ends with the text.</summary>
    LikeEndsWith,

    /// <summary>The inside of a LIKE pattern that contains the text.</summary>
    LikeContains,

    /// <summary>The inside of a LIKE pattern given as a pattern (wildcards kept).</summary>
    LikeRaw,

    /// <summary>A comma-separated list of literals (the inside of <c>IN (…)</c>).</summary>
    List,

    /// <summary>A comma-separated list of quoted values (the inside of <c>INCLUDES (…)</c>).</summary>
    IncludesList,
}

/// <summary>
/// A value slot in a cached translation. The writer emits a marker (two private-use characters) that the template
/// later replaces with the formatted value of each execution.
/// </summary>
/// <param name="Slot">The slot index.</param>
/// <param name="Format">How to write it.</param>
internal sealed record SoqlParameter(int Slot, ParameterFormat Format) : SoqlValue
{
    public const char MarkerBase = '\uE000';
    public const char SlotBase = '\uE100';
    public const int MaxSlots = 0xF8FF - 0xE100;

    /// <summary>The marker text (also used as a LIKE pattern or INCLUDES value).</summary>
    public string Marker => new([(char)(MarkerBase + (int)Format), (char)(SlotBase + Slot)]);
}
