using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Query.Internal;

/// <summary>Reads a JSON value (an aggregate column, an aliased function) as a .NET type, picklist structs included.</summary>
internal static class JsonValues
{
    private static readonly ConcurrentDictionary<Type, Func<string, object>> PicklistFactories = new();

    public static T? Read<T>(JsonElement value, JsonSerializerOptions options)
    {
        if (value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return default;
        }

        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        if (typeof(IPicklistValue).IsAssignableFrom(type) && value.ValueKind == JsonValueKind.String)
        {
            return (T)PicklistFactories.GetOrAdd(type, CreateFactory)(value.GetString()!);
        }

        if (type == typeof(string) && value.ValueKind != JsonValueKind.String)
        {
            return (T)(object)value.GetRawText();
        }

        return value.Deserialize<T>(options);
    }

    private static Func<string, object> CreateFactory(Type type)
    {
        var method = type.GetMethod("FromValue", BindingFlags.Public | BindingFlags.Static, [typeof(string)])
            ?? throw new InvalidOperationException($"The picklist type {type} has no FromValue(string).");
        return text => method.Invoke(null, [text])!;
    }
}
