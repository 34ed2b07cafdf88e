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
    private static volatile SObjectRegistry[] s_registries = [];
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
                if (resolver is SObjectRegistry registry)
                {
                    s_registries = [.. s_registries, registry];
                }
            }
        }
    }

    /// <summary>The registered record registries.</summary>
    public static IReadOnlyList<SObjectRegistry> Registries => s_registries;

    /// <summary>Reads a record of the named type with the first registry that knows it.</summary>
    public static bool TryRead(string sObjectName, ref Utf8JsonReader reader, JsonSerializerOptions options, out SObject? record)
    {
        foreach (var registry in s_registries)
        {
            if (registry.TryRead(sObjectName, ref reader, options, out record))
            {
                return true;
            }
        }

        record = null;
        return false;
    }

    /// <summary>The generated type for an API name in any registry, or null.</summary>
    public static Type? GetRecordType(string sObjectName)
    {
        foreach (var registry in s_registries)
        {
            if (registry.GetRecordType(sObjectName) is { } type)
            {
                return type;
            }
        }

        return null;
    }

    /// <summary>The registered resolvers.</summary>
    public static IReadOnlyList<IJsonTypeInfoResolver> Resolvers => s_resolvers;

    /// <summary>A resolver that consults the registered resolvers at each call (so registries loaded later are seen).</summary>
    internal static IJsonTypeInfoResolver Dynamic { get; } = new DynamicResolver();

    private sealed class DynamicConverter : System.Text.Json.Serialization.JsonConverter<DynamicSObject>
    {
        public override DynamicSObject? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            => reader.TokenType == JsonTokenType.Null ? null : DynamicSObject.ReadJson(ref reader);

        public override void Write(Utf8JsonWriter writer, DynamicSObject value, JsonSerializerOptions options) => value.WriteJson(writer, options);
    }

    private sealed class DynamicResolver : IJsonTypeInfoResolver
    {
        public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options)
        {
            if (type == typeof(SObject) || type == typeof(DynamicSObject))
            {
                return type == typeof(SObject)
                    ? JsonMetadataServices.CreateValueInfo<SObject>(options, new SObjectPolymorphicConverter())
                    : JsonMetadataServices.CreateValueInfo<DynamicSObject>(options, new DynamicConverter());
            }

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
