using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Sdk.Runtime.Records;

/// <summary>
/// The base of a generated registry: maps API names to generated types and gives the JSON metadata of each, with no
/// reflection. Generated registries register themselves in <see cref="SalesforceTypeRegistry"/>.
/// </summary>
public abstract class SObjectRegistry : IJsonTypeInfoResolver
{
    /// <summary>The objects of this registry.</summary>
    public abstract IReadOnlyList<SObjectMetadata> Objects { get; }

    /// <summary>The generated type for an API name, or null.</summary>
    public abstract Type? GetRecordType(string sObjectName);

    /// <summary>Reads a record of the named type; false when the type is not in this registry.</summary>
    public abstract bool TryRead(string sObjectName, ref Utf8JsonReader reader, JsonSerializerOptions options, out SObject? record);

    /// <summary>Creates an empty record of the named type; null when the type is not in this registry.</summary>
    public abstract SObject? CreateRecord(string sObjectName);

    /// <inheritdoc/>
    public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options) => CreateTypeInfo(type, options);

    /// <summary>The JSON metadata for one of this registry's types, or null.</summary>
    protected abstract JsonTypeInfo? CreateTypeInfo(Type type, JsonSerializerOptions options);

    /// <summary>Creates the JSON metadata of a generated type (generated code).</summary>
    protected static JsonTypeInfo<T> CreateTypeInfo<T>(JsonSerializerOptions options)
        where T : SObject, ISObjectType<T>
        => JsonMetadataServices.CreateValueInfo<T>(options, new SObjectJsonConverter<T>());
}

/// <summary>A converter that reads a whole value from a reader by itself (no serializer state), so it can be called directly.</summary>
internal interface IStandaloneConverter;

/// <summary>Reads and writes a generated record through its generated code.</summary>
/// <typeparam name="T">The record type.</typeparam>
public sealed class SObjectJsonConverter<T> : JsonConverter<T>, IStandaloneConverter
    where T : SObject, ISObjectType<T>
{
    /// <inheritdoc/>
    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => reader.TokenType == JsonTokenType.Null ? null : T.ReadJson(ref reader, options);

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        value.WriteJson(writer, options);
    }
}

/// <summary>Reads any record, choosing its type from <c>attributes.type</c>; writes any record.</summary>
public sealed class SObjectPolymorphicConverter : JsonConverter<SObject>, IStandaloneConverter
{
    /// <inheritdoc/>
    public override bool CanConvert(Type typeToConvert) => typeToConvert == typeof(SObject) || typeToConvert == typeof(DynamicSObject);

    /// <inheritdoc/>
    public override SObject? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => typeToConvert == typeof(DynamicSObject)
            ? reader.TokenType == JsonTokenType.Null ? null : DynamicSObject.ReadJson(ref reader)
            : SObjectJson.ReadPolymorphic(ref reader, options);

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, SObject value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        value.WriteJson(writer, options);
    }
}
