using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sdk.Runtime.Internal;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Composite;

/// <summary>How a composite, batch or graph call reports failed subrequests when it completes.</summary>
public enum CompositeErrorHandling
{
    /// <summary>Nothing is thrown: inspect each handle (<see cref="CompositeResult.IsSuccess"/>, <see cref="CompositeResult.ThrowIfFailed"/>).</summary>
    None,

    /// <summary>The call throws the first failed subrequest's exception (autoThrow).</summary>
    AutoThrow,

    /// <summary>The call throws an <see cref="AggregateException"/> of every failed subrequest's exception (groupErrors).</summary>
    GroupErrors,
}

/// <summary>
/// The subrequests of a composite, batch or graph call, added through <see cref="SObjects"/> (and <c>Query</c> where the
/// call allows it). Each add returns a handle that holds the subrequest's outcome once the call ran. Not thread-safe.
/// </summary>
public abstract class CompositeBuilder
{
    private readonly List<CompositeResult> _items = [];
    private readonly HashSet<string> _referenceIds;
    private readonly Dictionary<string, (string Base, int Count)> _stems = new(StringComparer.Ordinal);

    private protected CompositeBuilder(SalesforceConnection connection, HashSet<string>? sharedReferenceIds = null)
    {
        Connection = connection;
        _referenceIds = sharedReferenceIds ?? new HashSet<string>(StringComparer.Ordinal);
        SObjects = new CompositeSObjects(this);
    }

    /// <summary>sObject subrequests: create, get, update, upsert, delete; typed or JSON.</summary>
    public CompositeSObjects SObjects { get; }

    /// <summary>The subrequests added so far, in order.</summary>
    public IReadOnlyList<CompositeResult> Subrequests => _items;

    /// <summary>How many subrequests were added.</summary>
    public int Count => _items.Count;

    /// <summary>Whether the call has run (no subrequest can be added afterwards).</summary>
    public bool Executed { get; private protected set; }

    internal SalesforceConnection Connection { get; }

    /// <summary>The most subrequests one call takes.</summary>
    private protected abstract int Limit { get; }

    /// <summary>What the call is called in messages.</summary>
    private protected abstract string Name { get; }

    /// <summary>Whether subrequests may reference each other (composite and graph, not batch).</summary>
    private protected virtual bool Referable => true;

    /// <summary>Whether the call accepts this many subrequests beyond <see cref="Limit"/> (automatic chunking).</summary>
    private protected virtual bool Unlimited => false;

    internal T Add<T>(T handle)
        where T : CompositeResult
    {
        _items.Add(handle);
        return handle;
    }

    /// <summary>Checks that one more subrequest fits, and picks (or checks) its reference id.</summary>
    internal string Reserve(string? referenceId, string stem, CompositeOperation operation)
    {
        if (Executed)
        {
            throw new InvalidOperationException($"This {Name} has already run; start a new one.");
        }

        if (!Unlimited && _items.Count >= Limit)
        {
            throw new InvalidOperationException($"A {Name} takes at most {Limit} subrequests; this would be subrequest {_items.Count + 1}." +
                (this is CompositeBatch ? " Use client.Composite.Batch(autoChunk: true) to run more as several calls." : string.Empty));
        }

        if (referenceId is not null)
        {
            if (referenceId.Length == 0 || !char.IsAsciiLetter(referenceId[0]) || !referenceId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                throw new ArgumentException($"'{referenceId}' is not a valid reference id: start with a letter, then use letters, digits, '_' and '-'.", nameof(referenceId));
            }

            if (_referenceIds.Contains(referenceId))
            {
                throw new ArgumentException($"The reference id '{referenceId}' is already used in this {Name}; reference ids must be unique.", nameof(referenceId));
            }

            CheckOperation(operation);
            _referenceIds.Add(referenceId);
            return referenceId;
        }

        CheckOperation(operation);
        // refAccount, refAccount2, refAccount3…: a counter per stem keeps this linear in the number of subrequests.
        if (!_stems.TryGetValue(stem, out var next))
        {
            var clean = new string(stem.Where(c => char.IsAsciiLetterOrDigit(c) || c == '_').ToArray());
            next = ("ref" + (clean.Length == 0 ? "Request" : clean), 1);
        }

        var candidate = next.Count == 1 ? next.Base : next.Base + next.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        while (!_referenceIds.Add(candidate))
        {
            next.Count++;
            candidate = next.Base + next.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        _stems[stem] = (next.Base, next.Count == 1 ? 2 : next.Count + 1);
        return candidate;
    }

    /// <summary>Rejects operations the call does not allow (graphs take no queries; composite takes at most 5).</summary>
    private protected virtual void CheckOperation(CompositeOperation operation)
    {
    }

    /// <summary>Adds a query subrequest.</summary>
    private protected CompositeResult<T> AddQuery<T>(string soql, bool includeDeleted, string? referenceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(soql);
        var id = Reserve(referenceId, "Query", CompositeOperation.Query);
        var url = (includeDeleted ? "queryAll?q=" : "query?q=") + CompositeUrls.EscapeQuery(soql);
        return Add(new CompositeResult<T>(id, HttpMethod.Get, url, null, CompositeOperation.Query, Referable, default));
    }

    internal CompositeResult<T> AddRequest<T>(HttpMethod method, string url, byte[]? body, CompositeOperation operation, string stem, string? referenceId, T? input)
    {
        var id = Reserve(referenceId, stem, operation);
        return Add(new CompositeResult<T>(id, method, url, body, operation, Referable, input));
    }

    /// <summary>Applies the error handling option to the completed handles.</summary>
    private protected static void Report(IEnumerable<CompositeResult> handles, CompositeErrorHandling errors)
    {
        if (errors == CompositeErrorHandling.None)
        {
            return;
        }

        var failed = handles.Where(h => !h.IsSuccess).Select(h => h.Exception!).ToList();
        if (failed.Count == 0)
        {
            return;
        }

        if (errors == CompositeErrorHandling.AutoThrow)
        {
            throw failed[0];
        }

        throw new AggregateException($"{failed.Count} subrequest(s) failed: {string.Join("; ", failed.Take(5).Select(f => f.Message))}{(failed.Count > 5 ? "; …" : string.Empty)}", failed);
    }

    /// <summary>Links each halted subrequest to the failure that caused it.</summary>
    private protected static void LinkCauses(IReadOnlyList<CompositeResult> handles)
    {
        var byReference = handles.ToDictionary(h => h.ReferenceId, StringComparer.Ordinal);
        CompositeResult? firstFailure = null;
        foreach (var handle in handles)
        {
            if (!handle.IsSuccess && !handle.IsHalted)
            {
                firstFailure ??= handle;
            }
        }

        foreach (var handle in handles.Where(h => h.IsHalted))
        {
            // A reference to a failed subrequest is the cause when there is one; otherwise the call's first failure.
            var cause = CompositeUrls.ReferencedIds(handle).Select(r => byReference.GetValueOrDefault(r)).FirstOrDefault(r => r is { Done: true, IsSuccess: false });
            handle.LinkCause(cause ?? firstFailure);
        }
    }

    /// <summary>Writes one subrequest as composite and graph calls take it.</summary>
    private protected static void WriteCompositeSubrequest(Utf8JsonWriter writer, CompositeResult handle, string versionPrefix)
    {
        writer.WriteStartObject();
        writer.WriteString("method"u8, handle.Method.Method);
        writer.WriteString("url"u8, versionPrefix + handle.RelativeUrl);
        writer.WriteString("referenceId"u8, handle.ReferenceId);
        if (handle.Body is { } body)
        {
            writer.WritePropertyName("body"u8);
            writer.WriteRawValue(body, skipInputValidation: true);
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads one <c>compositeResponse</c> array into its handles, in order (matched by reference id where given).</summary>
    private protected static void CompleteFromCompositeResponse(JsonElement array, IReadOnlyList<CompositeResult> handles, string versionPrefix, CompositeContext context, Func<string, Exception> malformed)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw malformed("compositeResponse is not an array");
        }

        var byReference = handles.ToDictionary(h => h.ReferenceId, StringComparer.Ordinal);
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var handle = item.TryGetProperty("referenceId", out var r) && r.GetString() is { } referenceId && byReference.TryGetValue(referenceId, out var named)
                ? named
                : index < handles.Count ? handles[index] : throw malformed($"it has more results than the {handles.Count} subrequests sent");
            var status = item.TryGetProperty("httpStatusCode", out var s) && s.TryGetInt32(out var code) ? code : throw malformed($"result {index} has no httpStatusCode");
            var body = item.TryGetProperty("body", out var b) ? b.Clone() : (JsonElement?)null;
            handle.Complete(status, body, ReadHeaders(item), versionPrefix + handle.RelativeUrl, context);
            index++;
        }

        var missing = handles.FirstOrDefault(h => !h.Done);
        if (missing is not null)
        {
            throw malformed($"subrequest '{missing.ReferenceId}' has no result");
        }
    }

    private static Dictionary<string, string> ReadHeaders(JsonElement item)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (item.TryGetProperty("httpHeaders", out var h) && h.ValueKind == JsonValueKind.Object)
        {
            foreach (var header in h.EnumerateObject())
            {
                headers[header.Name] = header.Value.ValueKind == JsonValueKind.String ? header.Value.GetString()! : header.Value.GetRawText();
            }
        }

        return headers;
    }

    /// <summary>Posts a JSON body and reads the JSON answer as a document.</summary>
    internal async Task<(JsonDocument Document, Func<string, Exception> Malformed)> PostAsync(string path, byte[] body, bool idempotent, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, await Connection.DataUriAsync(path, cancellationToken).ConfigureAwait(false))
        {
            Content = Connection.JsonContent(body),
        };
        if (idempotent)
        {
            Http.Internal.RequestKeys.MarkIdempotent(request);
        }

        using var response = await Connection.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var document = await Connection.ReadJsonAsync(response, request, RuntimeJsonContext.Default.JsonDocument, cancellationToken).ConfigureAwait(false)
            ?? throw SalesforceConnection.Malformed(request, response, "the body is empty", null);

        // The exception names the request by method, path and status, which stay readable after disposal.
        return (document, why => SalesforceConnection.Malformed(request, response, why, null));
    }

    private protected async Task<string> VersionPrefixAsync(bool absolute, CancellationToken cancellationToken)
    {
        var version = await Connection.GetApiVersionAsync(cancellationToken).ConfigureAwait(false);
        return absolute ? "/services/data/" + version.PathSegment + "/" : version.PathSegment + "/";
    }
}

/// <summary>The sObject subrequests of a composite, batch or graph call. Typed records are sent with their changed fields.</summary>
public sealed class CompositeSObjects
{
    private readonly CompositeBuilder _owner;

    internal CompositeSObjects(CompositeBuilder owner) => _owner = owner;

    /// <summary>Creates a record from its changed fields; on success it gets its id and its changes are accepted.</summary>
    /// <param name="record">The record (its fields may hold references such as <c>acct.Ref.Id</c>).</param>
    /// <param name="referenceId">The reference id; generated (<c>refAccount</c>, <c>refAccount2</c>…) when null.</param>
    public CompositeResult<T> Create<T>(T record, string? referenceId = null)
        where T : SObject
    {
        ArgumentNullException.ThrowIfNull(record);
        ApiNames.CheckObject(record.SObjectType, nameof(record));
        return _owner.AddRequest(HttpMethod.Post, "sobjects/" + record.SObjectType, Changes(record, SObjectWriteMode.Create), CompositeOperation.Create, record.SObjectType, referenceId, record);
    }

    /// <summary>Creates a record from a JSON body.</summary>
    public CompositeResult<JsonObject> Create(string sObjectType, JsonObject body, string? referenceId = null)
    {
        ApiNames.CheckObject(sObjectType, nameof(sObjectType));
        ArgumentNullException.ThrowIfNull(body);
        return _owner.AddRequest(HttpMethod.Post, "sobjects/" + sObjectType, Json(body), CompositeOperation.Create, sObjectType, referenceId, body);
    }

    /// <summary>Reads a record of a generated type by id (which may be a reference).</summary>
    /// <param name="id">The id, or a reference such as <c>acct.Ref.Id</c>.</param>
    /// <param name="fields">The fields to read; all when null.</param>
    /// <param name="referenceId">The reference id; generated when null.</param>
    public CompositeResult<T> Get<T>(SalesforceId id, IEnumerable<string>? fields = null, string? referenceId = null)
        where T : SObject, ISObjectType<T>
        => _owner.AddRequest<T>(HttpMethod.Get, GetUrl(T.SObjectName, id, fields), null, CompositeOperation.Get, T.SObjectName, referenceId, default);

    /// <summary>Reads a record as JSON.</summary>
    public CompositeResult<JsonObject> Get(string sObjectType, SalesforceId id, IEnumerable<string>? fields = null, string? referenceId = null)
    {
        ApiNames.CheckObject(sObjectType, nameof(sObjectType));
        return _owner.AddRequest<JsonObject>(HttpMethod.Get, GetUrl(sObjectType, id, fields), null, CompositeOperation.Get, sObjectType, referenceId, default);
    }

    /// <summary>Updates a record (with its id set) with its changed fields; on success its changes are accepted.</summary>
    /// <exception cref="ArgumentException">The record has no id.</exception>
    public CompositeResult<T> Update<T>(T record, string? referenceId = null)
        where T : SObject
    {
        ArgumentNullException.ThrowIfNull(record);
        var id = record.Id is { IsEmpty: false } i ? i : throw new ArgumentException($"The {record.SObjectType} record has no Id; an update needs it.", nameof(record));
        return _owner.AddRequest(HttpMethod.Patch, "sobjects/" + record.SObjectType + "/" + CompositeUrls.EscapeSegment(id.Value), Changes(record, SObjectWriteMode.Update), CompositeOperation.Update, record.SObjectType, referenceId, record);
    }

    /// <summary>Updates a record from a JSON body.</summary>
    public CompositeResult<JsonObject> Update(string sObjectType, SalesforceId id, JsonObject body, string? referenceId = null)
    {
        ApiNames.CheckObject(sObjectType, nameof(sObjectType));
        ArgumentNullException.ThrowIfNull(body);
        return _owner.AddRequest(HttpMethod.Patch, "sobjects/" + sObjectType + "/" + CompositeUrls.EscapeSegment(CheckId(id)), Json(body), CompositeOperation.Update, sObjectType, referenceId, body);
    }

    /// <summary>Creates or updates a record by its external id field (which must be set); on success it gets its id.</summary>
    public CompositeResult<T> Upsert<T>(T record, string externalIdField, string? referenceId = null)
        where T : SObject
    {
        ArgumentNullException.ThrowIfNull(record);
        ApiNames.CheckField(externalIdField, nameof(externalIdField));
        var value = record.GetFieldValue(externalIdField) switch
        {
            null => throw new ArgumentException($"The {record.SObjectType} record's external id field '{externalIdField}' is not set.", nameof(record)),
            string s => s,
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            var other => other.ToString()!,
        };
        var body = Changes(record, SObjectWriteMode.Upsert, externalIdField);
        return _owner.AddRequest(HttpMethod.Patch, "sobjects/" + record.SObjectType + "/" + externalIdField + "/" + CompositeUrls.EscapeSegment(value), body, CompositeOperation.Upsert, record.SObjectType, referenceId, record);
    }

    /// <summary>Creates or updates a record by an external id value, from a JSON body.</summary>
    public CompositeResult<JsonObject> Upsert(string sObjectType, string externalIdField, string externalIdValue, JsonObject body, string? referenceId = null)
    {
        ApiNames.CheckObject(sObjectType, nameof(sObjectType));
        ApiNames.CheckField(externalIdField, nameof(externalIdField));
        ArgumentException.ThrowIfNullOrEmpty(externalIdValue);
        ArgumentNullException.ThrowIfNull(body);
        var copy = body.DeepClone().AsObject();
        copy.Remove(externalIdField);
        return _owner.AddRequest(HttpMethod.Patch, "sobjects/" + sObjectType + "/" + externalIdField + "/" + CompositeUrls.EscapeSegment(externalIdValue), Json(copy), CompositeOperation.Upsert, sObjectType, referenceId, body);
    }

    /// <summary>Deletes a record (with its id set).</summary>
    public CompositeResult Delete(SObject record, string? referenceId = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Id is { IsEmpty: false } id
            ? Delete(record.SObjectType, id, referenceId)
            : throw new ArgumentException($"The {record.SObjectType} record has no Id.", nameof(record));
    }

    /// <summary>Deletes a record by id (which may be a reference).</summary>
    public CompositeResult Delete(string sObjectType, SalesforceId id, string? referenceId = null)
    {
        ApiNames.CheckObject(sObjectType, nameof(sObjectType));
        return _owner.AddRequest<object>(HttpMethod.Delete, "sobjects/" + sObjectType + "/" + CompositeUrls.EscapeSegment(CheckId(id)), null, CompositeOperation.Delete, sObjectType, referenceId, null);
    }

    private static string GetUrl(string type, SalesforceId id, IEnumerable<string>? fields)
    {
        var url = "sobjects/" + type + "/" + CompositeUrls.EscapeSegment(CheckId(id));
        if (fields is not null)
        {
            var list = fields.ToList();
            foreach (var field in list)
            {
                ApiNames.CheckField(field, nameof(fields));
            }

            if (list.Count > 0)
            {
                url += "?fields=" + string.Join(',', list);
            }
        }

        return url;
    }

    private static string CheckId(SalesforceId id) => id.IsEmpty ? throw new ArgumentException("The id is empty.", nameof(id)) : id.Value;

    private byte[] Changes(SObject record, SObjectWriteMode mode, string? externalIdField = null)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            record.WriteChanges(writer, mode, _owner.Connection.Json);
        }

        if (externalIdField is null)
        {
            return buffer.WrittenSpan.ToArray();
        }

        // The external id is in the URL; Salesforce rejects it in the body of an upsert.
        var node = JsonNode.Parse(buffer.WrittenSpan)!.AsObject();
        node.Remove(externalIdField);
        return Json(node);
    }

    private static byte[] Json(JsonObject body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in body)
            {
                if (name is "attributes" or "Id")
                {
                    continue;
                }

                writer.WritePropertyName(name);
                if (value is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    value.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>URL building that keeps composite reference expressions intact.</summary>
internal static class CompositeUrls
{
    /// <summary>Escapes a query text for <c>?q=</c>, leaving <c>@{…}</c> references as they are so the server can resolve them.</summary>
    public static string EscapeQuery(string soql) => EscapeKeepingReferences(soql);

    /// <summary>Escapes a path segment, leaving a reference expression as it is.</summary>
    public static string EscapeSegment(string value) => EscapeKeepingReferences(value);

    private static string EscapeKeepingReferences(string text)
    {
        var builder = new StringBuilder(text.Length + 16);
        var i = 0;
        while (i < text.Length)
        {
            var start = text.IndexOf("@{", i, StringComparison.Ordinal);
            var end = start < 0 ? -1 : text.IndexOf('}', start);
            if (start < 0 || end < 0)
            {
                builder.Append(Uri.EscapeDataString(text[i..]));
                break;
            }

            builder.Append(Uri.EscapeDataString(text[i..start])).Append(text, start, end - start + 1);
            i = end + 1;
        }

        return builder.ToString();
    }

    /// <summary>The reference ids a subrequest's URL and body use.</summary>
    public static IEnumerable<string> ReferencedIds(CompositeResult handle)
    {
        var text = handle.RelativeUrl + (handle.Body is { } body ? Encoding.UTF8.GetString(body) : string.Empty);
        var i = 0;
        while ((i = text.IndexOf("@{", i, StringComparison.Ordinal)) >= 0)
        {
            var end = text.IndexOfAny(['.', '}'], i + 2);
            if (end < 0)
            {
                yield break;
            }

            yield return text[(i + 2)..end];
            i = end;
        }
    }
}
