using System.Collections;
using System.Text.Json;
using Sdk.Runtime.Internal;

namespace Sdk.Runtime;

/// <summary>One org limit (<c>GET /limits</c>), for example <c>DailyApiRequests</c>.</summary>
/// <param name="Max">The limit.</param>
/// <param name="Remaining">What is left.</param>
public sealed record OrgLimit(long Max, long Remaining)
{
    /// <summary>What is used (<see cref="Max"/> − <see cref="Remaining"/>).</summary>
    public long Used => Max - Remaining;

    /// <summary>Per connected app usage of this limit, when the org reports it.</summary>
    public IReadOnlyDictionary<string, OrgLimit> ByApp { get; init; } = new Dictionary<string, OrgLimit>();
}

/// <summary>The org's limits by name.</summary>
public sealed class OrgLimits : IReadOnlyDictionary<string, OrgLimit>
{
    private readonly Dictionary<string, OrgLimit> _limits;

    internal OrgLimits(Dictionary<string, OrgLimit> limits) => _limits = limits;

    /// <summary>The daily REST API request limit, when present.</summary>
    public OrgLimit? DailyApiRequests => _limits.GetValueOrDefault("DailyApiRequests");

    /// <inheritdoc/>
    public OrgLimit this[string key] => _limits[key];

    /// <inheritdoc/>
    public IEnumerable<string> Keys => _limits.Keys;

    /// <inheritdoc/>
    public IEnumerable<OrgLimit> Values => _limits.Values;

    /// <inheritdoc/>
    public int Count => _limits.Count;

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _limits.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, out OrgLimit value) => _limits.TryGetValue(key, out value!);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, OrgLimit>> GetEnumerator() => _limits.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal static async Task<OrgLimits> GetAsync(SalesforceConnection connection, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, await connection.DataUriAsync("limits", cancellationToken).ConfigureAwait(false));
        using var response = await connection.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var element = await connection.ReadJsonAsync(response, request, RuntimeJsonContext.Default.JsonElement, cancellationToken).ConfigureAwait(false);
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw SalesforceConnection.Malformed(request, response, "the limits are not a JSON object", null);
        }

        return new OrgLimits(ReadLimits(element));
    }

    private static Dictionary<string, OrgLimit> ReadLimits(JsonElement element)
    {
        var result = new Dictionary<string, OrgLimit>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (ReadLimit(property.Value) is { } limit)
            {
                result[property.Name] = limit;
            }
        }

        return result;
    }

    private static OrgLimit? ReadLimit(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("Max", out var max) || !value.TryGetProperty("Remaining", out var remaining)
            || !max.TryGetInt64(out var m) || !remaining.TryGetInt64(out var r))
        {
            return null;
        }

        // Nested objects are per-app usage of the same limit.
        var byApp = new Dictionary<string, OrgLimit>(StringComparer.Ordinal);
        foreach (var nested in value.EnumerateObject())
        {
            if (ReadLimit(nested.Value) is { } app)
            {
                byApp[nested.Name] = app;
            }
        }

        return new OrgLimit(m, r) { ByApp = byApp };
    }
}
