using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Internal;

/// <summary>Builds the client's <see cref="JsonSerializerOptions"/>: Salesforce date formats and the resolver chain.</summary>
internal static class JsonOptionsFactory
{
    private static JsonSerializerOptions? s_default;

    /// <summary>Options with the generated types registered so far and no user resolver.</summary>
    public static JsonSerializerOptions Default => s_default ??= Create(null);

    public static JsonSerializerOptions Create(IJsonTypeInfoResolver? userResolver)
    {
        var resolvers = new List<IJsonTypeInfoResolver>(4);
        if (userResolver is not null)
        {
            resolvers.Add(userResolver);
        }

        resolvers.Add(SalesforceTypeRegistry.Dynamic);
        resolvers.Add(RuntimeJsonContext.Default);
        if (JsonSerializer.IsReflectionEnabledByDefault)
        {
            resolvers.Add(CreateReflectionResolver());
        }

        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            TypeInfoResolver = JsonTypeInfoResolver.Combine([.. resolvers]),
            AllowTrailingCommas = false,
            MaxDepth = 128,
        };
        options.Converters.Add(SalesforceDateTimeOffsetConverter.Instance);
        options.Converters.Add(new SalesforceDateTimeConverter());
        options.Converters.Add(SalesforceDateOnlyConverter.Instance);
        options.Converters.Add(SalesforceTimeOnlyConverter.Instance);
        options.MakeReadOnly();
        return options;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Only used when the JSON reflection feature switch is on (not under trimming or NativeAOT).")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Only used when the JSON reflection feature switch is on (not under trimming or NativeAOT).")]
    private static IJsonTypeInfoResolver CreateReflectionResolver() => new DefaultJsonTypeInfoResolver();
}
