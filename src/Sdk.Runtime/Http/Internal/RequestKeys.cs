namespace Sdk.Runtime.Http.Internal;

/// <summary>Per-request data carried through the handler chain in <see cref="HttpRequestMessage.Options"/>.</summary>
internal static class RequestKeys
{
    /// <summary>The logical request's number and attempt count, set once by the outermost handler.</summary>
    public static readonly HttpRequestOptionsKey<RequestState> State = new("Sdk.RequestState");

    /// <summary>The SDK marks requests that are safe to re-send although their method is POST or PATCH (upsert by external id).</summary>
    public static readonly HttpRequestOptionsKey<bool> Idempotent = new("Sdk.Idempotent");

    /// <summary>A route template for tracing, for example <c>/services/data/v{version}/sobjects/{sobject}/{id}</c>.</summary>
    public static readonly HttpRequestOptionsKey<string> Route = new("Sdk.Route");

    public static void MarkIdempotent(HttpRequestMessage request) => request.Options.Set(Idempotent, true);

    public static bool IsIdempotent(HttpRequestMessage request)
    {
        var method = request.Method;
        if (method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options || method == HttpMethod.Put
            || method == HttpMethod.Delete || method == HttpMethod.Trace)
        {
            return true;
        }

        return request.Options.TryGetValue(Idempotent, out var marked) && marked;
    }

    public static string PathOf(HttpRequestMessage request) => request.RequestUri?.AbsolutePath ?? string.Empty;

    public static RequestState? StateOf(HttpRequestMessage request) => request.Options.TryGetValue(State, out var state) ? state : null;
}

/// <summary>What the handlers record about one logical request.</summary>
internal sealed class RequestState(long id)
{
    public long Id { get; } = id;

    /// <summary>How many times the request was sent.</summary>
    public int Attempts { get; set; }
}
