namespace Sdk.IntegrationTests;

/// <summary>
/// Tests that bound the managed heap (<see cref="GC.GetTotalMemory(bool)"/> is the whole process's): they run on their
/// own, after the parallel ones, so that what they measure is their own workload and not the tests running beside them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasured
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Memory measured";
}
