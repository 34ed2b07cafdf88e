using System.Text.Json;

namespace Sdk.Runtime.Records;

/// <summary>Implemented by every generated record type: static access to its name, metadata and reader, with no reflection.</summary>
/// <typeparam name="TSelf">The record type.</typeparam>
public interface ISObjectType<TSelf>
    where TSelf : SObject, ISObjectType<TSelf>
{
    /// <summary>The object's API name, for example <c>Account</c>.</summary>
    static abstract string SObjectName { get; }

    /// <summary>The object's metadata.</summary>
    static abstract SObjectMetadata Metadata { get; }

    /// <summary>Reads one record from JSON (the reader is at its <c>{</c> and ends at its <c>}</c>).</summary>
    static abstract TSelf ReadJson(ref Utf8JsonReader reader, JsonSerializerOptions options);

    /// <summary>Creates an empty record.</summary>
    static abstract TSelf Create();
}
