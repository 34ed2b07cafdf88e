using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Sdk.Runtime.Errors;
using Sdk.Runtime.Errors.Internal;
using Sdk.Runtime.Http.Internal;

namespace Sdk.Runtime.Internal;

/// <summary>
/// What the endpoint classes share: the pipeline's HttpClient, the instance URL and API version, JSON options, and the
/// send-and-check helpers that turn failures into typed exceptions naming the request.
/// </summary>
internal sealed class SalesforceConnection
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "UTF-8" };
    private readonly SalesforceClientOptions _options;
    private readonly Uri? _configuredInstance;
    private readonly Lock _versionGate = new();
    private Task<ApiVersion>? _latestVersion;
    private DataPrefix? _dataPrefix;
    private ApiVersion? _resolvedLatest;

    /// <summary>The cached <c>https://host/services/data/vXX.0/</c> for one instance URL and version.</summary>
    private sealed record DataPrefix(Uri Instance, ApiVersion Version, string Prefix);

    public SalesforceConnection(HttpClient http, SalesforceClientOptions options, PipelineContext pipeline, JsonSerializerOptions json)
    {
        Http = http;
        _options = options;
        _configuredInstance = options.InstanceUrl is { } configured ? InstanceUrl.Normalize(configured) : null;
        Pipeline = pipeline;
        Json = json;
    }

    public HttpClient Http { get; }

    public PipelineContext Pipeline { get; }

    public JsonSerializerOptions Json { get; }

    public TimeProvider TimeProvider => Pipeline.TimeProvider;

    public int? QueryBatchSize => _options.QueryBatchSize;

    public ValueTask<Uri> GetInstanceUrlAsync(CancellationToken cancellationToken)
        => _configuredInstance is { } configured ? ValueTask.FromResult(configured) : FromTokenAsync(cancellationToken);

    private async ValueTask<Uri> FromTokenAsync(CancellationToken cancellationToken)
    {
        var token = await Pipeline.Authenticator.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        return token.InstanceUrl
            ?? throw new InvalidOperationException("No instance URL: set SalesforceClientOptions.InstanceUrl, or use a login flow whose answer names the instance.");
    }

    public ValueTask<ApiVersion> GetApiVersionAsync(CancellationToken cancellationToken)
    {
        if (!_options.UseLatestApiVersion)
        {
            return ValueTask.FromResult(_options.ApiVersion);
        }

        Task<ApiVersion> task;
        lock (_versionGate)
        {
            task = _latestVersion is { IsFaulted: false, IsCanceled: false } existing ? existing : (_latestVersion = FetchLatestVersionAsync());
        }

        return new ValueTask<ApiVersion>(task.WaitAsync(cancellationToken));
    }

    private async Task<ApiVersion> FetchLatestVersionAsync()
    {
        var versions = await GetApiVersionsAsync(CancellationToken.None).ConfigureAwait(false);
        var latest = versions.Count == 0 ? _options.ApiVersion : versions.Max(v => v.Version);
        _resolvedLatest = latest;
        return latest;
    }

    public async Task<IReadOnlyList<ApiVersionInfo>> GetApiVersionsAsync(CancellationToken cancellationToken)
    {
        var baseUri = await GetInstanceUrlAsync(cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "services/data"));
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var list = await ReadJsonAsync(response, request, RuntimeJsonContext.Default.ListApiVersionResponse, cancellationToken).ConfigureAwait(false);
        var result = new List<ApiVersionInfo>();
        foreach (var item in list ?? [])
        {
            if (ApiVersion.TryParse(item.Version, out var v))
            {
                result.Add(new ApiVersionInfo(v, item.Label ?? string.Empty, item.Url ?? string.Empty));
            }
        }

        return result;
    }

    /// <summary>The absolute URI of <c>/services/data/vXX.0/{relative}</c> when it is known without I/O; else null.</summary>
    public Uri? DataUri(string relative)
    {
        var prefix = _dataPrefix;
        var version = _options.UseLatestApiVersion ? _resolvedLatest : _options.ApiVersion;
        if (prefix is null || _configuredInstance is null || version is null)
        {
            return null;
        }

        return prefix.Version == version.Value && ReferenceEquals(prefix.Instance, _configuredInstance) ? new Uri(prefix.Prefix + relative, UriKind.Absolute) : null;
    }

    /// <summary>The absolute URI of <c>/services/data/vXX.0/{relative}</c>.</summary>
    public async ValueTask<Uri> DataUriAsync(string relative, CancellationToken cancellationToken)
    {
        var baseUri = await GetInstanceUrlAsync(cancellationToken).ConfigureAwait(false);
        var version = await GetApiVersionAsync(cancellationToken).ConfigureAwait(false);
        var prefix = _dataPrefix;
        if (prefix is null || !ReferenceEquals(prefix.Instance, baseUri) && prefix.Instance != baseUri || prefix.Version != version)
        {
            prefix = new DataPrefix(baseUri, version, baseUri.AbsoluteUri + "services/data/" + version.PathSegment + "/");
            _dataPrefix = prefix;
        }

        return new Uri(prefix.Prefix + relative, UriKind.Absolute);
    }

    /// <summary>Resolves a server-given path (relative like <c>/services/data/…</c> or absolute on the instance host).</summary>
    public async ValueTask<Uri> ResolveServerPathAsync(string pathOrUrl, CancellationToken cancellationToken)
    {
        var baseUri = await GetInstanceUrlAsync(cancellationToken).ConfigureAwait(false);
        if (Uri.TryCreate(pathOrUrl, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            if (!string.Equals(absolute.Authority, baseUri.Authority, StringComparison.OrdinalIgnoreCase))
            {
                throw new MalformedResponseException($"The server pointed to '{absolute.GetLeftPart(UriPartial.Authority)}', which is not the instance {baseUri.GetLeftPart(UriPartial.Authority)}; the SDK does not send the session there.");
            }

            return absolute;
        }

        if (!pathOrUrl.StartsWith('/'))
        {
            throw new MalformedResponseException($"The server gave '{pathOrUrl}' where a path starting with '/' was expected.");
        }

        return new Uri(baseUri, pathOrUrl);
    }

    public ByteArrayContent JsonContent(byte[] utf8)
    {
        var content = new ByteArrayContent(utf8);
        content.Headers.ContentType = JsonMediaType;
        return content;
    }

    public ByteArrayContent JsonContent<T>(T value, JsonTypeInfo<T> typeInfo) => JsonContent(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));

    public JsonTypeInfo<T> GetTypeInfo<T>()
    {
        try
        {
            return (JsonTypeInfo<T>)Json.GetTypeInfo(typeof(T));
        }
        catch (NotSupportedException ex)
        {
            throw new InvalidOperationException(
                $"No JSON metadata for {typeof(T)}: reflection is disabled (trimming or NativeAOT). Add a JsonSerializerContext for it to SalesforceClientOptions.TypeInfoResolver, or use a generated record type.", ex);
        }
    }

    /// <summary>Sends the request; on a non-success status reads the error body and throws the matching <see cref="SalesforceException"/>.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
        => SendAsync(request, completion, cancellationToken, alsoAccepted: null);

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken, HttpStatusCode? alsoAccepted)
    {
        // Accept: application/json comes from the pipeline client's default headers unless the request set its own.
        var response = await Http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode || response.StatusCode == alsoAccepted)
        {
            return response;
        }

        throw await ErrorAsync(request, response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads an error answer into its exception and disposes the response.</summary>
    public async Task<SalesforceException> ErrorAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            return await SalesforceErrorParser.CreateAsync(response, request.Method, RequestKeys.PathOf(request), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads a JSON body, turning unreadable answers into a <see cref="MalformedResponseException"/> naming the request.</summary>
    public async Task<T?> ReadJsonAsync<T>(HttpResponseMessage response, HttpRequestMessage request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        EnsureJson(response, request);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (JsonException ex)
        {
            throw Malformed(request, response, $"its JSON could not be read as {typeof(T).Name}: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw Malformed(request, response, $"the body was cut off: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Reads a JSON body whole and hands its bytes to <paramref name="parse"/> (a reader over the bytes, for hot paths that
    /// skip the DOM), turning unreadable answers into a <see cref="MalformedResponseException"/> naming the request.
    /// </summary>
    public static async Task<T> ReadJsonBytesAsync<T>(HttpResponseMessage response, HttpRequestMessage request, Func<byte[], T> parse, string what, CancellationToken cancellationToken)
    {
        EnsureJson(response, request);
        byte[] body;
        try
        {
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw Malformed(request, response, $"the body was cut off: {ex.Message}", ex);
        }

        try
        {
            return parse(body);
        }
        catch (JsonException ex)
        {
            throw Malformed(request, response, $"its JSON could not be read as {what}: {ex.Message}", ex);
        }
    }

    public static void EnsureJson(HttpResponseMessage response, HttpRequestMessage request)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is not null && !mediaType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            throw Malformed(request, response, $"it has content type '{mediaType}' where JSON was expected", inner: null);
        }
    }

    public static MalformedResponseException Malformed(HttpRequestMessage request, HttpResponseMessage? response, string why, Exception? inner)
        => Malformed(request.Method, RequestKeys.PathOf(request), response, why, inner);

    /// <summary>The error for an answer that cannot be read, naming the request by its method and path (never its host or query).</summary>
    public static MalformedResponseException Malformed(HttpMethod method, string path, HttpResponseMessage? response, string why, Exception? inner)
    {
        var status = response is null ? string.Empty : $" → {(int)response.StatusCode}";
        return new MalformedResponseException($"The answer to {method.Method} {path}{status} could not be read: {why}.", inner)
        {
            StatusCode = response?.StatusCode,
            ErrorCode = "MALFORMED_RESPONSE",
            RequestMethod = method.Method,
            RequestPath = path,
        };
    }
}
