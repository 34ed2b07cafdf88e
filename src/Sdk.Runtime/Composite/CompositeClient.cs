using System.Net;
using System.Text;
using System.Text.Json;
using Sdk.Runtime.Errors;
using Sdk.Runtime.Errors.Internal;
using Sdk.Runtime.Http.Internal;
using Sdk.Runtime.Internal;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Composite;

/// <summary>
/// The composite APIs: batch (independent subrequests), composite (dependent subrequests with references), graph (large
/// all-or-nothing graphs), and sObject tree (records with nested children). sObject Collections are
/// <see cref="SalesforceClient.Collections"/>. Obtain it from <see cref="SalesforceClient.Composite"/>.
/// </summary>
public sealed class CompositeClient
{
    /// <summary>The most records one sObject tree call creates.</summary>
    public const int MaxTreeRecords = 200;

    /// <summary>How deep an sObject tree may nest (a root and four levels of children).</summary>
    public const int MaxTreeDepth = 5;

    private readonly SalesforceConnection _connection;

    internal CompositeClient(SalesforceConnection connection) => _connection = connection;

    /// <summary>Starts a composite batch: up to 25 independent subrequests (more with <paramref name="autoChunk"/>).</summary>
    /// <param name="haltOnError">Whether the first failure stops the remaining subrequests.</param>
    /// <param name="errors">Whether the call throws on failed subrequests (first, or all grouped).</param>
    /// <param name="autoChunk">Whether more than 25 subrequests may be added, to run as several calls of 25 in order.</param>
    /// <param name="cancellationToken">Used when <c>await using</c> runs the batch at the end of its scope.</param>
    public CompositeBatch Batch(bool haltOnError = false, CompositeErrorHandling errors = CompositeErrorHandling.None, bool autoChunk = false, CancellationToken cancellationToken = default)
        => new(_connection, haltOnError, errors, autoChunk, cancellationToken);

    /// <summary>Starts a composite request: up to 25 subrequests that may reference earlier ones.</summary>
    /// <param name="allOrNone">Whether one failure rolls back every subrequest.</param>
    /// <param name="collateSubrequests">Whether Salesforce may group independent subrequests of the same type.</param>
    /// <param name="errors">Whether the call throws on failed subrequests (first, or all grouped).</param>
    /// <param name="cancellationToken">Used when <c>await using</c> runs the request at the end of its scope.</param>
    public CompositeRequest Request(bool allOrNone = false, bool collateSubrequests = false, CompositeErrorHandling errors = CompositeErrorHandling.None, CancellationToken cancellationToken = default)
        => new(_connection, allOrNone, collateSubrequests, errors, cancellationToken);

    /// <summary>Starts a composite graph call: add graphs with <see cref="CompositeGraphRequest.AddGraph"/>.</summary>
    /// <param name="errors">Whether the call throws on failed subrequests (first, or all grouped).</param>
    /// <param name="cancellationToken">Used when <c>await using</c> runs the call at the end of its scope.</param>
    public CompositeGraphRequest Graph(CompositeErrorHandling errors = CompositeErrorHandling.None, CancellationToken cancellationToken = default)
        => new(_connection, errors, cancellationToken);

    /// <summary>
    /// Creates records of one type with their nested children (child relationship properties such as
    /// <c>account.Contacts = new ChildRecords&lt;Contact&gt;([…])</c>) in one all-or-nothing call of up to 200 records. On success
    /// every record gets its id and has its changes accepted; on failure nothing is created and the result says which records
    /// failed and why.
    /// </summary>
    /// <param name="records">The root records, all of the same type.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>One result per record (roots and children, depth first), with the reference id it was sent under.</returns>
    /// <exception cref="ArgumentException">No records, mixed root types, more than 200 records, or deeper than 5 levels.</exception>
    public async Task<TreeResult> CreateTreeAsync(IEnumerable<SObject> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var roots = records.ToList();
        if (roots.Count == 0)
        {
            throw new ArgumentException("Give at least one record.", nameof(records));
        }

        var type = roots[0]?.SObjectType ?? throw new ArgumentException("Record 0 is null.", nameof(records));
        ApiNames.CheckObject(type, nameof(records));
        var flat = new List<(SObject Record, string ReferenceId)>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("records"u8);
            for (var i = 0; i < roots.Count; i++)
            {
                var root = roots[i] ?? throw new ArgumentException($"Record {i} is null.", nameof(records));
                if (!string.Equals(root.SObjectType, type, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"A tree's root records are of one type: record {i} is a {root.SObjectType}, record 0 a {type}.", nameof(records));
                }

                WriteTreeRecord(writer, root, 1, flat, used);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, await _connection.DataUriAsync("composite/tree/" + type, cancellationToken).ConfigureAwait(false))
        {
            Content = _connection.JsonContent(buffer.WrittenSpan.ToArray()),
        };
        using var response = await _connection.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken, HttpStatusCode.BadRequest).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            throw response.StatusCode == HttpStatusCode.BadRequest
                ? SalesforceErrorParser.Create(response.StatusCode, bytes, response.Content.Headers.ContentType, response.Headers, request.Method.Method, RequestKeys.PathOf(request))
                : SalesforceConnection.Malformed(request, response, ex.Message, ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
            {
                // A 400 that is not a tree result (an unknown type, a malformed body): Salesforce's usual error.
                throw response.StatusCode == HttpStatusCode.BadRequest
                    ? SalesforceErrorParser.Create(response.StatusCode, bytes, response.Content.Headers.ContentType, response.Headers, request.Method.Method, RequestKeys.PathOf(request))
                    : SalesforceConnection.Malformed(request, response, "it has no results array", null);
            }

            var hasErrors = root.TryGetProperty("hasErrors", out var h) && h.ValueKind == JsonValueKind.True;
            var byReference = new Dictionary<string, (SalesforceId? Id, List<SalesforceError> Errors)>(StringComparer.Ordinal);
            foreach (var item in results.EnumerateArray())
            {
                var referenceId = item.TryGetProperty("referenceId", out var r) ? r.GetString() : null;
                if (referenceId is null)
                {
                    throw SalesforceConnection.Malformed(request, response, "a result has no referenceId", null);
                }

                SalesforceId? id = item.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String
                    ? SObjects.Internal.SObjectApi.ParseId(idElement.GetString(), request)
                    : null;
                var errors = item.TryGetProperty("errors", out var e) ? SalesforceErrorParser.ParseErrors(Encoding.UTF8.GetBytes(e.GetRawText())).ToList() : [];
                byReference[referenceId] = (id, errors);
            }

            var outcome = new List<TreeRecordResult>(flat.Count);
            foreach (var (record, referenceId) in flat)
            {
                if (!hasErrors && byReference.TryGetValue(referenceId, out var saved) && saved.Id is { } newId)
                {
                    record.Id = newId;
                    record.AcceptChanges();
                    outcome.Add(new TreeRecordResult(referenceId, record, newId, []));
                }
                else if (byReference.TryGetValue(referenceId, out var failed) && failed.Errors.Count > 0)
                {
                    outcome.Add(new TreeRecordResult(referenceId, record, null, failed.Errors));
                }
                else if (hasErrors)
                {
                    outcome.Add(new TreeRecordResult(referenceId, record, null, [new SalesforceError("ALL_OR_NONE_OPERATION_ROLLED_BACK", "Not created: another record of the tree failed, and a tree is all or nothing.", [])]));
                }
                else
                {
                    throw SalesforceConnection.Malformed(request, response, $"record '{referenceId}' has no result", null);
                }
            }

            return new TreeResult(hasErrors, outcome);
        }
    }

    private void WriteTreeRecord(Utf8JsonWriter writer, SObject record, int depth, List<(SObject, string)> flat, HashSet<string> used)
    {
        if (depth > MaxTreeDepth)
        {
            throw new ArgumentException($"An sObject tree nests at most {MaxTreeDepth} levels; a {record.SObjectType} is at level {depth}.", "records");
        }

        if (flat.Count >= MaxTreeRecords)
        {
            throw new ArgumentException($"An sObject tree creates at most {MaxTreeRecords} records in one call.", "records");
        }

        if (record.Id is { IsEmpty: false })
        {
            throw new ArgumentException($"The {record.SObjectType} record already has an id ({record.Id}); a tree only creates records.", "records");
        }

        var referenceId = record.Attributes?.ReferenceId;
        if (referenceId is null || !used.Add(referenceId))
        {
            if (referenceId is not null)
            {
                throw new ArgumentException($"The reference id '{referenceId}' is used by two records of the tree.", "records");
            }

            var n = flat.Count + 1;
            do
            {
                referenceId = "ref" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
                n++;
            }
            while (!used.Add(referenceId));
        }

        flat.Add((record, referenceId));
        writer.WriteStartObject();
        writer.WriteStartObject("attributes"u8);
        writer.WriteString("type"u8, record.SObjectType);
        writer.WriteString("referenceId"u8, referenceId);
        writer.WriteEndObject();
        var changes = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var fields = new Utf8JsonWriter(changes))
        {
            record.WriteChanges(fields, SObjectWriteMode.Create, _connection.Json);
        }

        using (var parsed = JsonDocument.Parse(changes.WrittenMemory))
        {
            foreach (var property in parsed.RootElement.EnumerateObject())
            {
                property.WriteTo(writer);
            }
        }

        foreach (var relationship in record.GetMetadata().ChildRelationships)
        {
            if (record.GetFieldValue(relationship.RelationshipName) is IEnumerable<SObject> children && children.Any())
            {
                writer.WriteStartObject(relationship.RelationshipName);
                writer.WriteStartArray("records"u8);
                foreach (var child in children)
                {
                    WriteTreeRecord(writer, child, depth + 1, flat, used);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }
        }

        writer.WriteEndObject();
    }
}

/// <summary>The outcome of an sObject tree call.</summary>
/// <param name="HasErrors">Whether it failed (and so created nothing).</param>
/// <param name="Results">One result per record sent (roots and children, depth first).</param>
public sealed record TreeResult(bool HasErrors, IReadOnlyList<TreeRecordResult> Results)
{
    /// <summary>Throws a <see cref="SalesforceException"/> naming the failed records when the call failed.</summary>
    public void ThrowIfFailed()
    {
        if (!HasErrors)
        {
            return;
        }

        var failed = Results.Where(r => r.Errors.Count > 0 && r.Errors[0].ErrorCode != "ALL_OR_NONE_OPERATION_ROLLED_BACK").ToList();
        var errors = failed.SelectMany(r => r.Errors).ToList();
        throw new SalesforceException($"The sObject tree was not created: {string.Join("; ", failed.Select(r => $"{r.ReferenceId} ({r.Record.SObjectType}): {string.Join(", ", r.Errors)}"))}.")
        {
            ErrorCode = errors.Count > 0 ? errors[0].ErrorCode : null,
            Errors = errors,
            Fields = errors.SelectMany(e => e.Fields).Distinct(StringComparer.Ordinal).ToArray(),
        };
    }
}

/// <summary>The outcome of one record of an sObject tree.</summary>
/// <param name="ReferenceId">The reference id it was sent under.</param>
/// <param name="Record">The input record (with its id set on success).</param>
/// <param name="Id">The new id, when the tree was created.</param>
/// <param name="Errors">Why it failed (or that it was rolled back with the rest).</param>
public sealed record TreeRecordResult(string ReferenceId, SObject Record, SalesforceId? Id, IReadOnlyList<SalesforceError> Errors)
{
    /// <summary>Whether the record was created.</summary>
    public bool Success => Id is not null && Errors.Count == 0;
}
