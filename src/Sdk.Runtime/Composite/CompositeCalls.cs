using System.Text.Json;
using Sdk.Runtime.Internal;
using Sdk.Runtime.Query;

namespace Sdk.Runtime.Composite;

/// <summary>
/// A composite batch (<c>/composite/batch</c>): up to 25 independent subrequests in one call, run in order, each committed on
/// its own. Build it, then <see cref="ExecuteAsync"/>, or let <c>await using</c> run it at the end of its scope.
/// </summary>
/// <example><code>
/// await using (var batch = client.Composite.Batch(haltOnError: true))
/// {
///     account = batch.SObjects.Get&lt;Account&gt;(id);
///     contacts = batch.Query&lt;Contact&gt;("SELECT Id FROM Contact LIMIT 10");
/// }
/// Console.WriteLine(account.Record!.Name);
/// </code></example>
public sealed class CompositeBatch : CompositeBuilder, IAsyncDisposable
{
    /// <summary>The most subrequests Salesforce takes in one batch.</summary>
    public const int MaxSubrequests = 25;

    private readonly CompositeErrorHandling _errors;
    private readonly CancellationToken _disposeToken;

    internal CompositeBatch(SalesforceConnection connection, bool haltOnError, CompositeErrorHandling errors, bool autoChunk, CancellationToken disposeToken)
        : base(connection)
    {
        HaltOnError = haltOnError;
        AutoChunk = autoChunk;
        _errors = errors;
        _disposeToken = disposeToken;
    }

    /// <summary>Whether the first failed subrequest stops the rest (they answer <c>412 BATCH_PROCESSING_HALTED</c>); across chunks too.</summary>
    public bool HaltOnError { get; }

    /// <summary>Whether more than 25 subrequests may be added, to run as several calls of 25 in order.</summary>
    public bool AutoChunk { get; }

    private protected override int Limit => MaxSubrequests;

    private protected override string Name => "composite batch";

    private protected override bool Referable => false;

    private protected override bool Unlimited => AutoChunk;

    /// <summary>Adds a SOQL query (its first page).</summary>
    /// <typeparam name="T">The record type: a generated record, <see cref="System.Text.Json.Nodes.JsonObject"/>, or a caller's type.</typeparam>
    public CompositeResult<T> Query<T>(string soql, bool includeDeleted = false) => AddQuery<T>(soql, includeDeleted, null);

    /// <summary>Adds a LINQ query, translated to SOQL now.</summary>
    [System.Diagnostics.CodeAnalysis.RequiresDynamicCode(Sdk.Runtime.Query.Internal.LinqRequirements.DynamicCode)]
    [System.Diagnostics.CodeAnalysis.RequiresUnreferencedCode(Sdk.Runtime.Query.Internal.LinqRequirements.UnreferencedCode)]
    public CompositeResult<T> Query<T>(ISoqlQueryable<T> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return AddQuery<T>(query.ToSoql(), includeDeleted: false, null);
    }

    /// <summary>Sends the subrequests (in calls of 25 with <see cref="AutoChunk"/>) and completes every handle.</summary>
    /// <exception cref="InvalidOperationException">The batch already ran.</exception>
    /// <exception cref="Errors.SalesforceException">With <see cref="CompositeErrorHandling.AutoThrow"/>: the first failure.</exception>
    /// <exception cref="AggregateException">With <see cref="CompositeErrorHandling.GroupErrors"/>: every failure.</exception>
    public async Task ExecuteAsync(CancellationToken cancellationToken = default)
    {
        if (Executed)
        {
            throw new InvalidOperationException("This composite batch has already run; start a new one.");
        }

        Executed = true;
        var prefix = await VersionPrefixAsync(absolute: false, cancellationToken).ConfigureAwait(false);
        var context = new CompositeContext(Connection);
        var handles = Subrequests;
        CompositeResult? haltedBy = null;
        for (var start = 0; start < handles.Count; start += MaxSubrequests)
        {
            var chunk = handles.Skip(start).Take(MaxSubrequests).ToList();
            if (haltedBy is not null)
            {
                // An earlier call halted on error: the later calls are not sent, and their subrequests say so.
                foreach (var handle in chunk)
                {
                    handle.Complete(412, HaltedBody(), new Dictionary<string, string>(), prefix + handle.RelativeUrl, context);
                }

                continue;
            }

            await SendChunkAsync(chunk, prefix, context, cancellationToken).ConfigureAwait(false);
            if (HaltOnError)
            {
                haltedBy = chunk.FirstOrDefault(h => !h.IsSuccess);
            }
        }

        LinkBatchCauses(handles);
        Report(handles, _errors);
    }

    /// <summary>
    /// Runs the batch if it has subrequests and has not run yet. Disposal cannot tell whether its block ended with an
    /// exception, so a block that may throw after adding should call <see cref="ExecuteAsync"/> itself.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!Executed && Count > 0)
        {
            await ExecuteAsync(_disposeToken).ConfigureAwait(false);
        }
    }

    private async Task SendChunkAsync(List<CompositeResult> chunk, string prefix, CompositeContext context, CancellationToken cancellationToken)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("haltOnError"u8, HaltOnError);
            writer.WriteStartArray("batchRequests"u8);
            foreach (var handle in chunk)
            {
                writer.WriteStartObject();
                writer.WriteString("method"u8, handle.Method.Method);
                writer.WriteString("url"u8, prefix + handle.RelativeUrl);
                if (handle.Body is { } body)
                {
                    writer.WritePropertyName("richInput"u8);
                    writer.WriteRawValue(body, skipInputValidation: true);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        var readOnly = chunk.All(h => h.Method == HttpMethod.Get);
        var (document, malformed) = await PostAsync("composite/batch", buffer.WrittenSpan.ToArray(), readOnly, cancellationToken).ConfigureAwait(false);
        using (document)
        {
            if (!document.RootElement.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
            {
                throw malformed("it has no results array");
            }

            if (results.GetArrayLength() != chunk.Count)
            {
                throw malformed($"it has {results.GetArrayLength()} results for {chunk.Count} subrequests");
            }

            var i = 0;
            foreach (var item in results.EnumerateArray())
            {
                var status = item.TryGetProperty("statusCode", out var s) && s.TryGetInt32(out var code) ? code : throw malformed($"result {i} has no statusCode");
                var result = item.TryGetProperty("result", out var r) ? r.Clone() : (JsonElement?)null;
                chunk[i].Complete(status, result, new Dictionary<string, string>(), prefix + chunk[i].RelativeUrl, context);
                i++;
            }
        }
    }

    private static JsonElement HaltedBody()
        => JsonDocument.Parse("""[{"errorCode":"BATCH_PROCESSING_HALTED","message":"Not sent: an earlier call of this batch halted on error."}]""").RootElement.Clone();

    private static void LinkBatchCauses(IReadOnlyList<CompositeResult> handles)
    {
        CompositeResult? lastFailure = null;
        foreach (var handle in handles)
        {
            if (handle.IsHalted)
            {
                handle.LinkCause(lastFailure);
            }
            else if (!handle.IsSuccess)
            {
                lastFailure = handle;
            }
        }
    }
}

/// <summary>
/// A composite request (<c>/composite</c>): up to 25 subrequests run in order, where later ones use earlier results through
/// references (<c>acct.Ref.Id</c> renders <c>@{refAccount.id}</c>). With <see cref="AllOrNone"/>, one failure rolls back all.
/// </summary>
public sealed class CompositeRequest : CompositeBuilder, IAsyncDisposable
{
    /// <summary>The most subrequests Salesforce takes in one composite request.</summary>
    public const int MaxSubrequests = 25;

    /// <summary>The most query or collections subrequests in one composite request.</summary>
    public const int MaxQueries = 5;

    private readonly CompositeErrorHandling _errors;
    private readonly CancellationToken _disposeToken;
    private int _queries;

    internal CompositeRequest(SalesforceConnection connection, bool allOrNone, bool collateSubrequests, CompositeErrorHandling errors, CancellationToken disposeToken)
        : base(connection)
    {
        AllOrNone = allOrNone;
        CollateSubrequests = collateSubrequests;
        _errors = errors;
        _disposeToken = disposeToken;
    }

    /// <summary>Whether a failed subrequest rolls back the whole request (the others answer <c>PROCESSING_HALTED</c>).</summary>
    public bool AllOrNone { get; }

    /// <summary>Whether Salesforce may group independent subrequests of the same type to run them faster.</summary>
    public bool CollateSubrequests { get; }

    private protected override int Limit => MaxSubrequests;

    private protected override string Name => "composite request";

    /// <summary>Adds a SOQL query; later subrequests can use its records (<c>q.Ref.Records[0].Id</c>).</summary>
    public CompositeResult<T> Query<T>(string soql, bool includeDeleted = false, string? referenceId = null) => AddQuery<T>(soql, includeDeleted, referenceId);

    /// <summary>Adds a LINQ query, translated to SOQL now.</summary>
    [System.Diagnostics.CodeAnalysis.RequiresDynamicCode(Sdk.Runtime.Query.Internal.LinqRequirements.DynamicCode)]
    [System.Diagnostics.CodeAnalysis.RequiresUnreferencedCode(Sdk.Runtime.Query.Internal.LinqRequirements.UnreferencedCode)]
    public CompositeResult<T> Query<T>(ISoqlQueryable<T> query, string? referenceId = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        return AddQuery<T>(query.ToSoql(), includeDeleted: false, referenceId);
    }

    private protected override void CheckOperation(CompositeOperation operation)
    {
        if (operation == CompositeOperation.Query)
        {
            if (_queries >= MaxQueries)
            {
                throw new InvalidOperationException($"A composite request takes at most {MaxQueries} query subrequests.");
            }

            _queries++;
        }
    }

    /// <summary>Sends the request and completes every handle; halted subrequests are linked to the failure that caused them.</summary>
    /// <exception cref="InvalidOperationException">The request already ran, or has no subrequests.</exception>
    /// <exception cref="Errors.SalesforceException">With <see cref="CompositeErrorHandling.AutoThrow"/>: the first failure.</exception>
    /// <exception cref="AggregateException">With <see cref="CompositeErrorHandling.GroupErrors"/>: every failure.</exception>
    public async Task ExecuteAsync(CancellationToken cancellationToken = default)
    {
        if (Executed)
        {
            throw new InvalidOperationException("This composite request has already run; start a new one.");
        }

        if (Count == 0)
        {
            throw new InvalidOperationException("The composite request has no subrequests.");
        }

        Executed = true;
        var prefix = await VersionPrefixAsync(absolute: true, cancellationToken).ConfigureAwait(false);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("allOrNone"u8, AllOrNone);
            writer.WriteBoolean("collateSubrequests"u8, CollateSubrequests);
            writer.WriteStartArray("compositeRequest"u8);
            foreach (var handle in Subrequests)
            {
                WriteCompositeSubrequest(writer, handle, prefix);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        var (document, malformed) = await PostAsync("composite", buffer.WrittenSpan.ToArray(), idempotent: false, cancellationToken).ConfigureAwait(false);
        using (document)
        {
            if (!document.RootElement.TryGetProperty("compositeResponse", out var results))
            {
                throw malformed("it has no compositeResponse");
            }

            CompleteFromCompositeResponse(results, Subrequests, prefix, new CompositeContext(Connection), malformed);
        }

        LinkCauses(Subrequests);
        Report(Subrequests, _errors);
    }

    /// <summary>
    /// Runs the request if it has subrequests and has not run yet. Disposal cannot tell whether its block ended with an
    /// exception, so a block that may throw after adding should call <see cref="ExecuteAsync"/> itself.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!Executed && Count > 0)
        {
            await ExecuteAsync(_disposeToken).ConfigureAwait(false);
        }
    }
}

/// <summary>One graph of a composite graph call: up to 500 sObject subrequests that succeed or fail together.</summary>
public sealed class CompositeGraph : CompositeBuilder
{
    private readonly CompositeGraphRequest _owner;

    internal CompositeGraph(CompositeGraphRequest owner, string graphId, HashSet<string> referenceIds)
        : base(owner.Connection, referenceIds)
    {
        _owner = owner;
        GraphId = graphId;
    }

    /// <summary>The graph's id.</summary>
    public string GraphId { get; }

    /// <summary>Whether the graph's subrequests all succeeded (false also when it was not run); known once the call ran.</summary>
    public bool IsSuccessful { get; internal set; }

    private protected override int Limit => CompositeGraphRequest.MaxNodesPerGraph;

    private protected override string Name => "composite graph";

    private protected override void CheckOperation(CompositeOperation operation)
    {
        if (operation == CompositeOperation.Query)
        {
            throw new InvalidOperationException("A composite graph takes sObject subrequests only; use a composite request for queries.");
        }

        _owner.ReserveNode();
    }

    internal void Complete(JsonElement results, string prefix, CompositeContext context, Func<string, Exception> malformed)
    {
        CompleteFromCompositeResponse(results, Subrequests, prefix, context, malformed);
        LinkCauses(Subrequests);
    }

    internal static void ReportAll(IEnumerable<CompositeResult> handles, CompositeErrorHandling errors) => Report(handles, errors);

    internal static void Write(Utf8JsonWriter writer, CompositeResult handle, string prefix) => WriteCompositeSubrequest(writer, handle, prefix);
}

/// <summary>
/// A composite graph call (<c>/composite/graph</c>): several graphs, each up to 500 sObject subrequests with references, each
/// all-or-nothing (up to 500 nodes in all, 75 graphs). Add graphs with <see cref="AddGraph"/>, then <see cref="ExecuteAsync"/>.
/// </summary>
public sealed class CompositeGraphRequest : IAsyncDisposable
{
    /// <summary>The most nodes in one graph, and in one call.</summary>
    public const int MaxNodesPerGraph = 500;

    /// <summary>The most graphs in one call.</summary>
    public const int MaxGraphs = 75;

    private readonly List<CompositeGraph> _graphs = [];
    private readonly HashSet<string> _graphIds = new(StringComparer.Ordinal);
    private readonly CompositeErrorHandling _errors;
    private readonly CancellationToken _disposeToken;
    private int _nodes;

    internal CompositeGraphRequest(SalesforceConnection connection, CompositeErrorHandling errors, CancellationToken disposeToken)
    {
        Connection = connection;
        _errors = errors;
        _disposeToken = disposeToken;
    }

    /// <summary>The graphs added so far.</summary>
    public IReadOnlyList<CompositeGraph> Graphs => _graphs;

    /// <summary>How many nodes (subrequests) all graphs hold.</summary>
    public int NodeCount => _nodes;

    /// <summary>Whether the call has run.</summary>
    public bool Executed { get; private set; }

    internal SalesforceConnection Connection { get; }

    /// <summary>Adds a graph; its reference ids are its own (the same id may be used in two graphs).</summary>
    /// <param name="graphId">The graph id; <c>graph1</c>, <c>graph2</c>… when null.</param>
    public CompositeGraph AddGraph(string? graphId = null)
    {
        if (Executed)
        {
            throw new InvalidOperationException("This composite graph call has already run; start a new one.");
        }

        if (_graphs.Count >= MaxGraphs)
        {
            throw new InvalidOperationException($"A composite graph call takes at most {MaxGraphs} graphs.");
        }

        graphId ??= "graph" + (_graphs.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (graphId.Length == 0 || !_graphIds.Add(graphId))
        {
            throw new ArgumentException($"The graph id '{graphId}' is empty or already used in this call.", nameof(graphId));
        }

        var graph = new CompositeGraph(this, graphId, new HashSet<string>(StringComparer.Ordinal));
        _graphs.Add(graph);
        return graph;
    }

    internal void ReserveNode()
    {
        if (Executed)
        {
            throw new InvalidOperationException("This composite graph call has already run; start a new one.");
        }

        if (_nodes >= MaxNodesPerGraph)
        {
            throw new InvalidOperationException($"A composite graph call takes at most {MaxNodesPerGraph} nodes in all graphs together; this would be node {_nodes + 1}.");
        }

        _nodes++;
    }

    /// <summary>Sends the graphs and completes every graph and node handle.</summary>
    /// <exception cref="InvalidOperationException">The call already ran, or a graph is empty.</exception>
    /// <exception cref="Errors.SalesforceException">With <see cref="CompositeErrorHandling.AutoThrow"/>: the first failure.</exception>
    /// <exception cref="AggregateException">With <see cref="CompositeErrorHandling.GroupErrors"/>: every failure.</exception>
    public async Task ExecuteAsync(CancellationToken cancellationToken = default)
    {
        if (Executed)
        {
            throw new InvalidOperationException("This composite graph call has already run; start a new one.");
        }

        if (_graphs.Count == 0)
        {
            throw new InvalidOperationException("The composite graph call has no graphs.");
        }

        if (_graphs.FirstOrDefault(g => g.Count == 0) is { } empty)
        {
            throw new InvalidOperationException($"Graph '{empty.GraphId}' has no subrequests; every graph needs at least one.");
        }

        Executed = true;
        var version = await Connection.GetApiVersionAsync(cancellationToken).ConfigureAwait(false);
        var prefix = "/services/data/" + version.PathSegment + "/";
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("graphs"u8);
            foreach (var graph in _graphs)
            {
                writer.WriteStartObject();
                writer.WriteString("graphId"u8, graph.GraphId);
                writer.WriteStartArray("compositeRequest"u8);
                foreach (var handle in graph.Subrequests)
                {
                    WriteNode(writer, handle, prefix);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        var first = _graphs[0];
        var (document, malformed) = await first.PostAsync("composite/graph", buffer.WrittenSpan.ToArray(), idempotent: false, cancellationToken).ConfigureAwait(false);
        var context = new CompositeContext(Connection);
        using (document)
        {
            if (!document.RootElement.TryGetProperty("graphs", out var graphs) || graphs.ValueKind != JsonValueKind.Array)
            {
                throw malformed("it has no graphs array");
            }

            var byId = _graphs.ToDictionary(g => g.GraphId, StringComparer.Ordinal);
            foreach (var item in graphs.EnumerateArray())
            {
                var id = item.TryGetProperty("graphId", out var g) ? g.GetString() : null;
                if (id is null || !byId.TryGetValue(id, out var graph))
                {
                    throw malformed($"it answers for an unknown graph '{id}'");
                }

                if (!item.TryGetProperty("graphResponse", out var response) || !response.TryGetProperty("compositeResponse", out var results))
                {
                    throw malformed($"graph '{id}' has no graphResponse.compositeResponse");
                }

                graph.Complete(results, prefix, context, malformed);
                graph.IsSuccessful = item.TryGetProperty("isSuccessful", out var ok) && ok.ValueKind == JsonValueKind.True;
            }

            if (_graphs.FirstOrDefault(g => g.Subrequests.Any(h => !h.Done)) is { } missing)
            {
                throw malformed($"graph '{missing.GraphId}' has no result");
            }
        }

        var all = _graphs.SelectMany(g => g.Subrequests).ToList();
        CompositeGraph.ReportAll(all, _errors);
    }

    /// <summary>Runs the call if it has graphs and has not run yet.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!Executed && _graphs.Count > 0)
        {
            await ExecuteAsync(_disposeToken).ConfigureAwait(false);
        }
    }

    private static void WriteNode(Utf8JsonWriter writer, CompositeResult handle, string prefix) => CompositeGraph.Write(writer, handle, prefix);
}
