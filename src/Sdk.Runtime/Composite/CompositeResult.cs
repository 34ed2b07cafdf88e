using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Sdk.Runtime.Errors;
using Sdk.Runtime.Errors.Internal;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Composite;

/// <summary>
/// The handle of one subrequest of a composite, batch or graph call. Before the call runs it only names the subrequest (and,
/// in composite and graph calls, offers <see cref="Ref"/> for later subrequests); once the call ran, <see cref="Done"/> is true
/// and it holds the subrequest's status, body and typed result.
/// </summary>
public class CompositeResult
{
    private const string Halted = "PROCESSING_HALTED";
    private readonly bool _referable;
    private int _statusCode;
    private JsonElement? _result;
    private IReadOnlyList<SalesforceError> _errors = [];
    private SalesforceException? _exception;

    internal CompositeResult(string referenceId, HttpMethod method, string relativeUrl, byte[]? body, CompositeOperation operation, bool referable)
    {
        ReferenceId = referenceId;
        Method = method;
        RelativeUrl = relativeUrl;
        Body = body;
        Operation = operation;
        _referable = referable;
    }

    /// <summary>The subrequest's reference id (generated unless one was given).</summary>
    public string ReferenceId { get; }

    /// <summary>The HTTP method of the subrequest.</summary>
    public HttpMethod Method { get; }

    /// <summary>The subrequest's URL below <c>/services/data/vXX.X/</c>, with reference expressions as they are sent.</summary>
    public string RelativeUrl { get; }

    /// <summary>Whether the call ran and this handle holds the subrequest's outcome.</summary>
    public bool Done { get; private set; }

    /// <summary>The subrequest's HTTP status code.</summary>
    /// <exception cref="InvalidOperationException">The call has not run yet.</exception>
    public int StatusCode => Check()._statusCode;

    /// <summary>Whether the subrequest succeeded (a status code below 400).</summary>
    /// <exception cref="InvalidOperationException">The call has not run yet.</exception>
    public bool IsSuccess => Check()._statusCode is > 0 and < 400;

    /// <summary>
    /// Whether the subrequest was not processed because of another one: Salesforce's <c>PROCESSING_HALTED</c> (a rolled back
    /// all-or-none call, or a reference to a failed subrequest) or <c>BATCH_PROCESSING_HALTED</c> (a batch halted on error).
    /// </summary>
    public bool IsHalted => !IsSuccess && _errors.Count > 0 && _errors[0].ErrorCode is Halted or "BATCH_PROCESSING_HALTED";

    /// <summary>For a halted subrequest: the failed subrequest that caused the halt (followed to the first real failure).</summary>
    public CompositeResult? CausedBy { get; private set; }

    /// <summary>The body Salesforce returned for the subrequest (null for an empty body, as in 204).</summary>
    /// <exception cref="InvalidOperationException">The call has not run yet.</exception>
    public JsonElement? Result => Check()._result;

    /// <summary>The response headers of the subrequest (for example <c>Location</c> after a create).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; private set; } = new Dictionary<string, string>();

    /// <summary>The errors of a failed subrequest; empty on success.</summary>
    public IReadOnlyList<SalesforceError> Errors => Check()._errors;

    /// <summary>The id the subrequest returned (create and upsert) or the id of the record it read; null otherwise.</summary>
    public SalesforceId? Id { get; private set; }

    /// <summary>For an upsert: whether it created the record.</summary>
    public bool? Created { get; private set; }

    /// <summary>
    /// References to this subrequest's result for later subrequests of the same composite or graph call:
    /// <c>Ref.Id</c> renders <c>@{refAccount.id}</c>, <c>Ref.Records[0].Id</c> renders <c>@{refQuery.records[0].Id}</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The subrequest belongs to a batch, whose subrequests are independent.</exception>
    public CompositeReference Ref => _referable
        ? new CompositeReference(ReferenceId, string.Empty)
        : throw new InvalidOperationException("Batch subrequests cannot reference each other; use client.Composite.Request(...) for dependent subrequests.");

    /// <summary>The exception describing this subrequest's failure, or null when it succeeded.</summary>
    public SalesforceException? Exception => Check()._exception;

    internal byte[]? Body { get; }

    internal CompositeOperation Operation { get; }

    /// <summary>Throws the typed exception of a failed subrequest (a halted one carries its cause as the inner exception).</summary>
    /// <exception cref="SalesforceException">The subrequest failed.</exception>
    /// <exception cref="InvalidOperationException">The call has not run yet.</exception>
    public void ThrowIfFailed()
    {
        if (Exception is { } exception)
        {
            throw exception;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Done ? $"{ReferenceId}: {Method} {RelativeUrl} → {_statusCode}" : $"{ReferenceId}: {Method} {RelativeUrl} (not run)";

    /// <summary>Records the outcome; <paramref name="url"/> is the URL as sent, for error messages.</summary>
    internal void Complete(int statusCode, JsonElement? body, IReadOnlyDictionary<string, string> headers, string url, CompositeContext context)
    {
        _statusCode = statusCode;
        _result = body is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } b ? b : null;
        Headers = headers;
        Done = true;
        if (statusCode is > 0 and < 400)
        {
            if (_result is { ValueKind: JsonValueKind.Object } obj)
            {
                if (obj.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && SalesforceId.TryParse(id.GetString(), out var parsed))
                {
                    Id = parsed;
                }
                else if (obj.TryGetProperty("Id", out var id2) && id2.ValueKind == JsonValueKind.String && SalesforceId.TryParse(id2.GetString(), out var parsed2))
                {
                    Id = parsed2;
                }

                if (obj.TryGetProperty("created", out var created) && created.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    Created = created.GetBoolean();
                }
            }

            try
            {
                OnSuccess(context);
            }
            catch (JsonException ex)
            {
                throw new MalformedResponseException($"The result of subrequest '{ReferenceId}' ({Method.Method} {url}) could not be read: {ex.Message}", ex)
                {
                    ErrorCode = "MALFORMED_RESPONSE", RequestMethod = Method.Method, RequestPath = url,
                };
            }

            return;
        }

        var raw = _result is { } r ? Encoding.UTF8.GetBytes(r.GetRawText()) : [];
        var exception = SalesforceErrorParser.Create((HttpStatusCode)statusCode, raw, null, null, Method.Method, url);
        _errors = exception.Errors.Count > 0 ? exception.Errors : [new SalesforceError("UNKNOWN_ERROR", exception.Message, [])];
        _exception = exception;
    }

    /// <summary>Links a halted subrequest to its cause and rewrites its exception to say so.</summary>
    internal void LinkCause(CompositeResult? cause)
    {
        while (cause?.CausedBy is { } deeper)
        {
            cause = deeper;
        }

        if (cause is null || ReferenceEquals(cause, this) || _exception is null)
        {
            return;
        }

        CausedBy = cause;
        var first = _errors[0];
        _exception = new SalesforceException($"Subrequest '{ReferenceId}' was not processed because subrequest '{cause.ReferenceId}' failed ({first.ErrorCode}: {first.Message}).", cause._exception)
        {
            StatusCode = _exception.StatusCode,
            ErrorCode = first.ErrorCode,
            Errors = _errors,
            RequestMethod = _exception.RequestMethod,
            RequestPath = _exception.RequestPath,
        };
    }

    /// <summary>Applies a successful result to typed state (ids, accepted changes, parsed records).</summary>
    private protected virtual void OnSuccess(CompositeContext context)
    {
    }

    private CompositeResult Check() => Done ? this : throw new InvalidOperationException($"Subrequest '{ReferenceId}' has not run yet: execute its call first.");
}

/// <summary>The handle of a subrequest with a typed result: the record read or written, or the records a query returned.</summary>
/// <typeparam name="T">The record type.</typeparam>
public sealed class CompositeResult<T> : CompositeResult
{
    private readonly T? _input;
    private T? _record;
    private IReadOnlyList<T> _records = [];

    internal CompositeResult(string referenceId, HttpMethod method, string relativeUrl, byte[]? body, CompositeOperation operation, bool referable, T? input)
        : base(referenceId, method, relativeUrl, body, operation, referable)
    {
        _input = input;
        _record = input;
    }

    /// <summary>
    /// The record: the one read (get), or the record given to a create, update or upsert (with its new id and its changes
    /// accepted once the subrequest succeeded).
    /// </summary>
    public T? Record => _record;

    /// <summary>The records a query returned (its first page).</summary>
    public IReadOnlyList<T> Records => _records;

    /// <summary>For a query: how many records matched.</summary>
    public int TotalSize { get; private set; }

    /// <summary>For a query with more records than its first page: where the next page is (read it with the client's query API).</summary>
    public string? NextRecordsUrl { get; private set; }

    private protected override void OnSuccess(CompositeContext context)
    {
        switch (Operation)
        {
            case CompositeOperation.Get when Result is { } body:
                _record = body.Deserialize(context.TypeInfo<T>());
                break;
            case CompositeOperation.Query when Result is { ValueKind: JsonValueKind.Object } page:
                TotalSize = page.TryGetProperty("totalSize", out var total) && total.TryGetInt32(out var n) ? n : 0;
                NextRecordsUrl = page.TryGetProperty("nextRecordsUrl", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
                _records = page.TryGetProperty("records", out var records) && records.ValueKind == JsonValueKind.Array
                    ? records.Deserialize(context.TypeInfo<List<T>>()) ?? []
                    : [];
                break;
            case CompositeOperation.Create or CompositeOperation.Upsert when _input is SObject record:
                if (Id is { } id)
                {
                    record.Id = id;
                }

                record.AcceptChanges();
                break;
            case CompositeOperation.Update when _input is SObject record:
                record.AcceptChanges();
                break;
        }
    }
}

/// <summary>What a subrequest does, which decides how its result is read.</summary>
internal enum CompositeOperation
{
    Create,
    Get,
    Update,
    Upsert,
    Delete,
    Query,
}

/// <summary>What completing a handle needs from the client.</summary>
internal sealed class CompositeContext(Internal.SalesforceConnection connection)
{
    public JsonTypeInfo<T> TypeInfo<T>() => connection.GetTypeInfo<T>();
}

/// <summary>
/// A reference to an earlier subrequest's result inside a composite or graph call. It renders as Salesforce's reference
/// expression (<c>@{refAccount.id}</c>), which the server replaces before it runs the later subrequest.
/// </summary>
public sealed class CompositeReference
{
    private readonly string _referenceId;
    private readonly string _path;

    internal CompositeReference(string referenceId, string path)
    {
        _referenceId = referenceId;
        _path = path;
    }

    /// <summary>The id the subrequest returned (<c>@{ref.id}</c>), or the <c>Id</c> field of a record reference.</summary>
    public SalesforceId Id => SalesforceId.Reference(Expression(_path.Length == 0 ? "id" : _path + ".Id"));

    /// <summary>The records of a query subrequest, by index: <c>Records[0].Id</c> renders <c>@{ref.records[0].Id}</c>.</summary>
    public CompositeRecordsReference Records => new(_referenceId, _path.Length == 0 ? "records" : _path + ".records");

    /// <summary>Any value of the result by its JSON path (<c>Field("records[0].Name")</c> renders <c>@{ref.records[0].Name}</c>).</summary>
    /// <param name="path">The path inside the result, dotted, with <c>[n]</c> for array items.</param>
    public string Field(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (path.AsSpan().IndexOfAny("{}@ ") >= 0)
        {
            throw new ArgumentException($"'{path}' is not a reference path: use names, dots and [n] indexes.", nameof(path));
        }

        return Expression(_path.Length == 0 ? path : _path + "." + path);
    }

    /// <inheritdoc/>
    public override string ToString() => Expression(_path.Length == 0 ? "id" : _path);

    private string Expression(string path) => "@{" + _referenceId + "." + path + "}";
}

/// <summary>The records of a query subrequest, for references by index.</summary>
public sealed class CompositeRecordsReference
{
    private readonly string _referenceId;
    private readonly string _path;

    internal CompositeRecordsReference(string referenceId, string path)
    {
        _referenceId = referenceId;
        _path = path;
    }

    /// <summary>The record at <paramref name="index"/>.</summary>
    public CompositeReference this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            return new CompositeReference(_referenceId, _path + "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]");
        }
    }
}
