using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Sdk.Runtime.Events;
using Sdk.Runtime.Events.Internal;
using Sdk.Runtime.Http.Internal;
using Sdk.Runtime.Internal;
using Sdk.Runtime.Query;
using Sdk.Runtime.SObjects;

namespace Sdk.Runtime;

/// <summary>
/// The entry point: sObject CRUD (<see cref="SObjects"/>), SOQL queries, and org information, over an HTTP pipeline that
/// reports events, caps concurrency, retries by policy and renews the session. Thread-safe; create one per org and reuse it.
/// </summary>
public sealed class SalesforceClient : IDisposable, IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly EventDispatcher _dispatcher;
    private readonly PipelineContext _pipeline;
    private bool _disposed;

    /// <summary>Creates a client that owns its HTTP connection pool.</summary>
    /// <param name="options">The settings; validated here.</param>
    /// <exception cref="ArgumentException">The settings are invalid; the message names the setting.</exception>
    public SalesforceClient(SalesforceClientOptions options)
        : this(options, inner: null, callerClient: null)
    {
    }

    /// <summary>Creates a client that sends through the caller's <see cref="HttpClient"/>, which it never disposes.</summary>
    /// <param name="httpClient">The caller's client (its handlers run after the SDK's pipeline).</param>
    /// <param name="options">The settings; validated here.</param>
    /// <exception cref="ArgumentException">The settings are invalid; the message names the setting.</exception>
    public SalesforceClient(HttpClient httpClient, SalesforceClientOptions options)
        : this(options, inner: null, callerClient: httpClient ?? throw new ArgumentNullException(nameof(httpClient)))
    {
    }

    /// <summary>Creates a client over an HttpClient whose handler chain already holds the SDK's handlers (hosting integration).</summary>
    internal SalesforceClient(SalesforceClientOptions options, HttpClient pipelineClient, PipelineContext pipeline)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _pipeline = pipeline;
        _dispatcher = pipeline.Events;
        _http = pipelineClient;
        _ownsHttp = false;
        if (!_http.DefaultRequestHeaders.Accept.Any())
        {
            _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        }

        Connection = new SalesforceConnection(_http, options, _pipeline, JsonOptionsFactory.Create(options.TypeInfoResolver));
        SObjects = new SObjectsClient(Connection);
        Collections = new global::Sdk.Runtime.Composite.CollectionsClient(Connection);
        Composite = new global::Sdk.Runtime.Composite.CompositeClient(Connection);
        Bulk = new global::Sdk.Runtime.Bulk.BulkClient(Connection);
        BulkV1 = new global::Sdk.Runtime.Bulk.BulkV1Client(Connection);
    }

    private SalesforceClient(SalesforceClientOptions options, HttpMessageHandler? inner, HttpClient? callerClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _pipeline = CreatePipeline(options);
        _dispatcher = _pipeline.Events;
        var terminal = inner ?? (callerClient is not null ? new HttpClientForwardingHandler(callerClient) : CreateSocketsHandler());
        _http = new HttpClient(_pipeline.BuildChain(terminal), disposeHandler: true)
        {
            // The retry policy's overall timeout governs; the HttpClient's own would cut retries short.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Sdk.Runtime", typeof(SalesforceClient).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"));
        _ownsHttp = true;
        Connection = new SalesforceConnection(_http, options, _pipeline, JsonOptionsFactory.Create(options.TypeInfoResolver));
        SObjects = new SObjectsClient(Connection);
        Collections = new global::Sdk.Runtime.Composite.CollectionsClient(Connection);
        Composite = new global::Sdk.Runtime.Composite.CompositeClient(Connection);
        Bulk = new global::Sdk.Runtime.Bulk.BulkClient(Connection);
        BulkV1 = new global::Sdk.Runtime.Bulk.BulkV1Client(Connection);
    }

    /// <summary>Creates a client whose requests end in <paramref name="handler"/> (tests and advanced hosting).</summary>
    /// <param name="options">The settings.</param>
    /// <param name="handler">The innermost handler (for example a mock); disposed with the client.</param>
    internal static SalesforceClient CreateWithHandler(SalesforceClientOptions options, HttpMessageHandler handler) => new(options, handler, null);

    internal static PipelineContext CreatePipeline(SalesforceClientOptions options)
    {
        var logger = options.Logger ?? NullLogger.Instance;
        var dispatcher = new EventDispatcher(options.Events, logger, options.TimeProvider);
        return new PipelineContext(options.Authenticator!, options.RetryPolicy, options.MaxConcurrentRequests, dispatcher, logger, options.TimeProvider);
    }

    private static SocketsHttpHandler CreateSocketsHandler() => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = System.Net.DecompressionMethods.GZip | System.Net.DecompressionMethods.Deflate,
        MaxConnectionsPerServer = int.MaxValue,
        EnableMultipleHttp2Connections = true,
    };

    /// <summary>The settings this client was built with.</summary>
    public SalesforceClientOptions Options { get; }

    /// <summary>sObject operations: create, get, update, upsert, delete, describe.</summary>
    public SObjectsClient SObjects { get; }

    /// <summary>sObject Collections: up to 200 records a call (2,000 to retrieve), larger inputs split and run concurrently.</summary>
    public global::Sdk.Runtime.Composite.CollectionsClient Collections { get; }

    /// <summary>Composite batch, composite requests with references, composite graphs, and sObject trees.</summary>
    public global::Sdk.Runtime.Composite.CompositeClient Composite { get; }

    /// <summary>Bulk API 2.0: typed ingest jobs that split and account for every row, and streamed bulk queries.</summary>
    public global::Sdk.Runtime.Bulk.BulkClient Bulk { get; }

    /// <summary>Bulk API 1.0: jobs and batches (CSV, JSON, XML), serial or parallel, and PK-chunked queries.</summary>
    public global::Sdk.Runtime.Bulk.BulkV1Client BulkV1 { get; }

    /// <summary>Event subscriptions (the same object as <see cref="SalesforceClientOptions.Events"/>).</summary>
    public SalesforceEventHooks Events => Options.Events;

    /// <summary>The API usage reported by the most recent response, or null before any response carried it.</summary>
    public ApiUsage? LastApiUsage => _pipeline.LastUsage;

    internal SalesforceConnection Connection { get; }

    private Sdk.Runtime.Query.Internal.SoqlQueryProvider? _queryProvider;

    internal JsonSerializerOptions JsonOptions => Connection.Json;

    /// <summary>The API versions the org serves (<c>GET /services/data</c>).</summary>
    public Task<IReadOnlyList<ApiVersionInfo>> GetApiVersionsAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Connection.GetApiVersionsAsync(cancellationToken);
    }

    /// <summary>The API version requests use: the configured one, or the org's newest when <see cref="SalesforceClientOptions.UseLatestApiVersion"/> is set.</summary>
    public ValueTask<ApiVersion> GetApiVersionAsync(CancellationToken cancellationToken = default) => Connection.GetApiVersionAsync(cancellationToken);

    /// <summary>The org's limits and their remaining amounts (<c>GET /limits</c>).</summary>
    public Task<OrgLimits> GetLimitsAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return OrgLimits.GetAsync(Connection, cancellationToken);
    }

    /// <summary>
    /// Runs a SOQL query given as text, exactly as written. Values spliced into the text are not escaped: prefer the
    /// LINQ provider or the interpolated <c>QueryAsync</c>, which turn values into escaped literals.
    /// </summary>
    /// <typeparam name="T">The record type: <see cref="System.Text.Json.Nodes.JsonObject"/>, a generated record, or a caller's type.</typeparam>
    /// <param name="soql">The query text.</param>
    /// <param name="options">Query options (queryAll, batch size).</param>
    /// <returns>The records, streamed page by page as they are enumerated.</returns>
    public QueryResult<T> QueryRawAsync<T>(string soql, QueryOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(soql);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new QueryResult<T>(Connection, soql, options ?? QueryOptions.Default, Connection.GetTypeInfo<T>());
    }

    /// <summary>
    /// Runs a SOQL query written as an interpolated string; every hole becomes an escaped literal, so values cannot change the
    /// query: <c>client.QueryAsync&lt;Account&gt;($"SELECT Id FROM Account WHERE Name = {name}")</c>.
    /// </summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="soql">The query, with values as holes.</param>
    /// <param name="options">Query options.</param>
    /// <returns>The records, streamed page by page as they are enumerated.</returns>
    public QueryResult<T> QueryAsync<T>(ref Soql.SoqlInterpolatedStringHandler soql, QueryOptions? options = null)
        => QueryRawAsync<T>(soql.ToString(), options);

    /// <summary>
    /// A LINQ query over a generated record type, translated to SOQL:
    /// <c>client.Query&lt;Contact&gt;().Where(c =&gt; c.Account.Industry == AccountIndustry.Banking).OrderBy(c =&gt; c.LastName).Take(50)</c>.
    /// Field names come from the generated metadata; values become escaped literals; run it with <c>await foreach</c> or an
    /// <c>…Async</c> operator. Without a <c>Select</c>, every generated field is selected.
    /// </summary>
    /// <typeparam name="T">A generated record type.</typeparam>
    [System.Diagnostics.CodeAnalysis.RequiresDynamicCode(Sdk.Runtime.Query.Internal.LinqRequirements.DynamicCode)]
    [System.Diagnostics.CodeAnalysis.RequiresUnreferencedCode(Sdk.Runtime.Query.Internal.LinqRequirements.UnreferencedCode)]
    public ISoqlQueryable<T> Query<T>()
        where T : Records.SObject, Records.ISObjectType<T>
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new Sdk.Runtime.Query.Internal.SoqlQueryable<T>(_queryProvider ??= new Sdk.Runtime.Query.Internal.SoqlQueryProvider(Connection));
    }

    /// <summary>Completes when every event raised so far has been handled.</summary>
    public Task FlushEventsAsync(CancellationToken cancellationToken = default) => _dispatcher.FlushAsync(cancellationToken);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_ownsHttp)
        {
            _http.Dispose();
        }

        _ = _dispatcher.DisposeAsync().AsTask();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_ownsHttp)
        {
            _http.Dispose();
        }

        await _dispatcher.DisposeAsync().ConfigureAwait(false);
    }
}
