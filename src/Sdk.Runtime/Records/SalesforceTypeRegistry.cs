using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Sdk.Runtime.Records;

/// <summary>
/// The process-wide list of JSON metadata resolvers contributed by generated record registries. Generated code registers
/// itself from a module initializer, so every <see cref="SalesforceClient"/> can read and write generated records without
/// reflection and without configuration.
/// </summary>
public static class SalesforceTypeRegistry
{
    private static volatile IJsonTypeInfoResolver[] s_resolvers = [];
    private static readonly Lock Gate = new();

    /// <summary>Adds a resolver (idempotent).</summary>
    /// <param name="resolver">The resolver, typically a generated registry.</param>
    public static void Register(IJsonTypeInfoResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        lock (Gate)
        {
            if (!s_resolvers.Contains(resolver))
            {
                s_resolvers = [.. s_resolvers, resolver];
            }
        }
    }

    /// <summary>The registered resolvers.</summary>
    public static IReadOnlyList<IJsonTypeInfoResolver> Resolvers => s_resolvers;

    /// <summary>A resolver that consults the registered resolvers at each call (so registries loaded later are seen).</summary>
    internal static IJsonTypeInfoResolver Dynamic { get; } = new DynamicResolver();

    private sealed class DynamicResolver : IJsonTypeInfoResolver
    {
        public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options)
        {
            foreach (var resolver in s_resolvers)
            {
                if (resolver.GetTypeInfo(type, options) is { } info)
                {
                    return info;
                }
            }

            return null;
        }
    }
}
