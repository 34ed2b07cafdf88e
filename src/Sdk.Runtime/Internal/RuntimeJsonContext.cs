using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Sdk.Runtime.SObjects.Internal;

namespace Sdk.Runtime.Internal;

/// <summary>Source-generated JSON metadata for the runtime's own wire types and the JSON DOM types.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(JsonDocument))]
[JsonSerializable(typeof(SaveResponse))]
[JsonSerializable(typeof(List<ApiVersionResponse>))]
[JsonSerializable(typeof(UpdatedResponse))]
[JsonSerializable(typeof(DeletedResponse))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class RuntimeJsonContext : JsonSerializerContext;
