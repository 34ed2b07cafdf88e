namespace Sdk.Generator;

/// <summary>Names of the incremental steps, asserted by the caching tests.</summary>
internal static class TrackingNames
{
    public const string Files = nameof(Files);
    public const string Parse = nameof(Parse);
    public const string Objects = nameof(Objects);
    public const string SelectedObjects = nameof(SelectedObjects);
    public const string NameFacts = nameof(NameFacts);
    public const string NameTable = nameof(NameTable);
    public const string Options = nameof(Options);
    public const string ObjectSources = nameof(ObjectSources);
    public const string RegistryEntries = nameof(RegistryEntries);
}
