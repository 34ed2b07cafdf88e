namespace Sdk.Runtime.Query.Internal;

/// <summary>Why LINQ to SOQL is not for trimmed or NativeAOT applications.</summary>
internal static class LinqRequirements
{
    public const string DynamicCode =
        "LINQ to SOQL compiles projections and reads generated types through reflection at run time. Under NativeAOT, use QueryAsync with an interpolated string.";

    public const string UnreferencedCode =
        "LINQ to SOQL reads the metadata of generated record types through reflection. Under trimming, use QueryAsync with an interpolated string.";
}
