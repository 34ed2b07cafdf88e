using System.Buffers;
using System.Text;
using System.Text.Json;
using Sdk.Runtime.Errors;
using Sdk.Runtime.Internal;
using Sdk.Runtime.Http.Internal;
using Sdk.Runtime.Records;
using Sdk.Runtime.SObjects.Internal;

namespace Sdk.Runtime.Composite;

/// <summary>Options of an sObject Collections operation.</summary>
public sealed record CollectionOptions
{
    /// <summary>The options used when none are given.</summary>
    public static CollectionOptions Default { get; } = new();

    /// <summary>
    /// Whether a call fails as a whole when one of its records fails (Salesforce's <c>allOrNone</c>). It applies to each call
    /// of up to <see cref="BatchSize"/> records; once a call fails, no further call is started, and the records it would have
    /// carried are reported as <c>NOT_PROCESSED</c>.
    /// </summary>
    public bool AllOrNone { get; init; }

    /// <summary>Records per call, 1 to 200 (2,000 for retrieve).</summary>
    /// <value>The default value is 200.</value>
    public int BatchSize { get; init; } = 200;

    /// <summary>How many calls run at once when the input is split.</summary>
    /// <value>The default value is 4.</value>
    public int MaxConcurrency { get; init; } = 4;
}

/// <summary>The outcome of one record of a collections call, at the record's input position.</summary>
/// <param name="Id">The record's id (new for a create or an upsert that created).</param>
/// <param name="Success">Whether the record was saved (or deleted).</param>
/// <param name="Created">For an upsert: whether it created the record.</param>
/// <param name="Errors">Why it failed.</param>
public sealed record SaveResult(SalesforceId? Id, bool Success, bool? Created, IReadOnlyList<SalesforceError> Errors)
{
    /// <summary>Throws a <see cref="SalesforceException"/> with the record's errors when it failed.</summary>
    public void ThrowIfFailed()
    {
        if (!Success)
        {
            var first = Errors.Count > 0 ? Errors[0] : new SalesforceError("UNKNOWN_ERROR", "The record failed without an error.", []);
            throw new SalesforceException(first.ToString()) { ErrorCode = first.ErrorCode, Fields = first.Fields, Errors = Errors };
        }
    }
}

/// <summary>
/// sObject Collections: create, update, upsert and delete up to 200 records a call and retrieve up to 2,000 ids a call;
/// larger inputs are split and run with bounded concurrency. Results come back in input order; typed records get their new
/// ids and have their changes accepted when they succeed. When one call of a split write throws, the others' results are
/// kept and reported through <see cref="CollectionsInterruptedException"/>. Obtain it from <see cref="SalesforceClient.Collections"/>.
/// </summary>
public sealed class CollectionsClient
{
    /// <summary>Records per write call that Salesforce accepts.</summary>
    public const int MaxWriteBatch = 200;

    /// <summary>Ids per retrieve call that Salesforce accepts.</summary>
    public const int MaxRetrieveBatch = 2000;

    private const string NotProcessed = "NOT_PROCESSED";
    private readonly SalesforceConnection _connection;

    internal CollectionsClient(SalesforceConnection connection) => _connection = connection;

    /// <summary>Creates records (of one or several types) from their changed fields.</summary>
    public Task<IReadOnlyList<SaveResult>> CreateAsync(IEnumerable<SObject> records, CollectionOptions? options = null, CancellationToken cancellationToken = default)
        => WriteAsync(records, Kind.Create, null, options, cancellationToken);

    /// <summary>Updates records (each with its id set) with their changed fields.</summary>
    public Task<IReadOnlyList<SaveResult>> UpdateAsync(IEnumerable<SObject> records, CollectionOptions? options = null, CancellationToken cancellationToken = default)
        => WriteAsync(records, Kind.Update, null, options, cancellationToken);

    /// <summary>Creates or updates records of one type by an external id field (which each record must have set). Safe to retry.</summary>
    public Task<IReadOnlyList<SaveResult>> UpsertAsync(IEnumerable<SObject> records, string externalIdField, CollectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ApiNames.CheckField(externalIdField, nameof(externalIdField));
        return WriteAsync(records, Kind.Upsert, externalIdField, options, cancellationToken);
    }

    /// <summary>Deletes records by id (to the recycle bin).</summary>
    public async Task<IReadOnlyList<SaveResult>> DeleteAsync(IEnumerable<SalesforceId> ids, CollectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var list = ids.ToList();
        options = Check(options, MaxWriteBatch);
        var run = await RunAsync(list.Count, options, async (start, count, token) =>
        {
            var query = string.Join(',', list.Skip(start).Take(count).Select(i => i.Value));
            using var request = new HttpRequestMessage(HttpMethod.Delete,
                await _connection.DataUriAsync($"composite/sobjects?ids={query}&allOrNone={(options.AllOrNone ? "true" : "false")}", token).ConfigureAwait(false));
            return await SendAsync(request, count, token).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return run.ResultsOrThrow();
    }

    /// <summary>Reads records by id, up to 2,000 a call; an id that matches nothing gives null at its position.</summary>
    /// <typeparam name="T">The generated record type.</typeparam>
    /// <param name="ids">The ids.</param>
    /// <param name="fields">The fields to read (API names).</param>
    /// <param name="options">Batch size (up to 2,000) and concurrency.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<IReadOnlyList<T?>> RetrieveAsync<T>(IEnumerable<SalesforceId> ids, IEnumerable<string> fields, CollectionOptions? options = null, CancellationToken cancellationToken = default)
        where T : SObject, ISObjectType<T>
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(fields);
        var list = ids.ToList();
        var fieldList = fields.ToList();
        if (fieldList.Count == 0)
        {
            throw new ArgumentException("Name at least one field to retrieve.", nameof(fields));
        }

        foreach (var field in fieldList)
        {
            ApiNames.CheckField(field, nameof(fields));
        }

        options = Check(options ?? new CollectionOptions { BatchSize = MaxRetrieveBatch }, MaxRetrieveBatch);
        var results = new T?[list.Count];
        var typeInfo = _connection.GetTypeInfo<List<T?>>();
        await ForEachChunkAsync(list.Count, options, async (start, count, token) =>
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteStartArray("ids");
                for (var i = start; i < start + count; i++)
                {
                    writer.WriteStringValue(list[i].Value);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("fields");
                foreach (var field in fieldList)
                {
                    writer.WriteStringValue(field);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, await _connection.DataUriAsync($"composite/sobjects/{T.SObjectName}", token).ConfigureAwait(false))
            {
                Content = _connection.JsonContent(buffer.ToArray()),
            };
            RequestKeys.MarkIdempotent(request);
            using var response = await _connection.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            var records = await _connection.ReadJsonAsync(response, request, typeInfo, token).ConfigureAwait(false);
            if (records is null || records.Count != count)
            {
                throw SalesforceConnection.Malformed(request, response, $"expected {count} records, got {records?.Count ?? 0}", null);
            }

            records.CopyTo(results, start);
        }, cancellationToken).ConfigureAwait(false);
        return results;
    }

    private enum Kind
    {
        Create,
        Update,
        Upsert,
    }

    private async Task<IReadOnlyList<SaveResult>> WriteAsync(IEnumerable<SObject> records, Kind kind, string? externalIdField, CollectionOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var list = records.ToList();
        options = Check(options, MaxWriteBatch);
        string? upsertType = null;
        for (var i = 0; i < list.Count; i++)
        {
            var record = list[i] ?? throw new ArgumentException($"Record {i} is null.", nameof(records));
            ApiNames.CheckObject(record.SObjectType, nameof(records));
            if (kind == Kind.Update && record.Id is not { IsEmpty: false })
            {
                throw new ArgumentException($"Record {i} ({record.SObjectType}) has no Id; an update needs it.", nameof(records));
            }

            if (kind == Kind.Upsert)
            {
                upsertType ??= record.SObjectType;
                if (!string.Equals(upsertType, record.SObjectType, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"An upsert takes records of one type: record {i} is a {record.SObjectType}, record 0 a {upsertType}.", nameof(records));
                }

                if (record.GetFieldValue(externalIdField!) is null)
                {
                    throw new ArgumentException($"Record {i} ({record.SObjectType}) has no value in its external id field '{externalIdField}'.", nameof(records));
                }
            }
        }

        var run = await RunAsync(list.Count, options, async (start, count, token) =>
        {
            var body = Body(list, start, count, kind, externalIdField, options.AllOrNone);
            var path = kind == Kind.Upsert ? $"composite/sobjects/{upsertType}/{externalIdField}" : "composite/sobjects";
            using var request = new HttpRequestMessage(kind == Kind.Create ? HttpMethod.Post : HttpMethod.Patch, await _connection.DataUriAsync(path, token).ConfigureAwait(false))
            {
                Content = _connection.JsonContent(body),
            };
            if (kind == Kind.Upsert)
            {
                RequestKeys.MarkIdempotent(request);
            }

            return await SendAsync(request, count, token).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        var results = run.Results;
        for (var i = 0; i < list.Count; i++)
        {
            if (results[i].Success)
            {
                if (results[i].Id is { } id && kind != Kind.Update)
                {
                    list[i].Id = id;
                }

                list[i].AcceptChanges();
            }
        }

        return run.ResultsOrThrow();
    }

    private byte[] Body(List<SObject> records, int start, int count, Kind kind, string? externalIdField, bool allOrNone)
    {
        var buffer = new ArrayBufferWriter<byte>(count * 128);
        buffer.Write(allOrNone ? "{\"allOrNone\":true,\"records\":["u8 : "{\"allOrNone\":false,\"records\":["u8);

        // One scratch writer for every record's changes: WriteChanges writes a whole object, which is spliced in after the
        // attributes (and Id), so nothing is allocated per record.
        var changes = new ArrayBufferWriter<byte>(256);
        using var writer = new Utf8JsonWriter(changes);
        var mode = kind == Kind.Create ? SObjectWriteMode.Create : SObjectWriteMode.Update;
        string? lastType = null;
        byte[] attributes = [];
        for (var i = start; i < start + count; i++)
        {
            var record = records[i];
            if (i > start)
            {
                buffer.Write(","u8);
            }

            // {"attributes":{"type":"X"}[,"Id":"…"][,"ExternalId__c":…], then the changed fields}
            if (!string.Equals(record.SObjectType, lastType, StringComparison.Ordinal))
            {
                lastType = record.SObjectType;
                attributes = Encoding.UTF8.GetBytes($"{{\"attributes\":{{\"type\":\"{lastType}\"}}");
            }

            buffer.Write(attributes);
            if (kind == Kind.Update)
            {
                buffer.Write(",\"Id\":\""u8);
                WriteAscii(buffer, record.Id!.Value.Value);
                buffer.Write("\""u8);
            }

            changes.ResetWrittenCount();
            writer.Reset(changes);
            record.WriteChanges(writer, mode, _connection.Json);
            writer.Flush();
            var fields = changes.WrittenSpan[1..^1];
            if (kind == Kind.Upsert && !ContainsKey(changes.WrittenSpan, externalIdField!))
            {
                // The key must be in the body even when it is not a pending change (a record read, then upserted elsewhere).
                buffer.Write(Encoding.UTF8.GetBytes($",\"{externalIdField}\":"));
                using var keyWriter = new Utf8JsonWriter(buffer);
                switch (record.GetFieldValue(externalIdField!))
                {
                    case string text:
                        keyWriter.WriteStringValue(text);
                        break;
                    case decimal number:
                        keyWriter.WriteNumberValue(number);
                        break;
                    case double number:
                        keyWriter.WriteNumberValue(number);
                        break;
                    case int number:
                        keyWriter.WriteNumberValue(number);
                        break;
                    case long number:
                        keyWriter.WriteNumberValue(number);
                        break;
                    case var other:
                        keyWriter.WriteStringValue(Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture));
                        break;
                }
            }

            if (fields.Length > 0)
            {
                buffer.Write(","u8);
                buffer.Write(fields);
            }

            buffer.Write("}"u8);
        }

        buffer.Write("]}"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes an id (ASCII letters and digits) as UTF-8 bytes.</summary>
    private static void WriteAscii(ArrayBufferWriter<byte> buffer, string text)
    {
        var written = Encoding.ASCII.GetBytes(text, buffer.GetSpan(text.Length));
        buffer.Advance(written);
    }

    private static bool ContainsKey(ReadOnlySpan<byte> json, string key)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(key))
            {
                return true;
            }

            reader.Read();
            reader.Skip();
        }

        return false;
    }

    private async Task<SaveResult[]> SendAsync(HttpRequestMessage request, int count, CancellationToken cancellationToken)
    {
        using var response = await _connection.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return await SalesforceConnection.ReadJsonBytesAsync(response, request, body => ParseResults(body, count, request, response), "save results", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads <c>[{"id":…,"success":…,"created":…,"errors":[…]}, …]</c> straight from the bytes, one result per record sent.</summary>
    private static SaveResult[] ParseResults(ReadOnlySpan<byte> json, int count, HttpRequestMessage request, HttpResponseMessage response)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            throw SalesforceConnection.Malformed(request, response, $"expected an array of {count} results", null);
        }

        var results = new SaveResult[count];
        var i = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject || i == count)
            {
                throw SalesforceConnection.Malformed(request, response, $"expected an array of {count} results", null);
            }

            SalesforceId? id = null;
            var success = false;
            bool? created = null;
            IReadOnlyList<SalesforceError> errors = [];
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    id = reader.TokenType == JsonTokenType.String ? SObjectApi.ParseId(reader.GetString(), request) : null;
                }
                else if (reader.ValueTextEquals("success"u8))
                {
                    reader.Read();
                    success = reader.TokenType == JsonTokenType.True;
                }
                else if (reader.ValueTextEquals("created"u8))
                {
                    reader.Read();
                    created = reader.TokenType switch
                    {
                        JsonTokenType.True => true,
                        JsonTokenType.False => false,
                        _ => null,
                    };
                }
                else if (reader.ValueTextEquals("errors"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        errors = ParseErrors(JsonElement.ParseValue(ref reader));
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            results[i++] = new SaveResult(id, success, created, errors);
        }

        if (i != count)
        {
            throw SalesforceConnection.Malformed(request, response, $"expected an array of {count} results", null);
        }

        return results;
    }

    private static IReadOnlyList<SalesforceError> ParseErrors(JsonElement list)
    {
        var errors = new List<SalesforceError>();
        foreach (var error in list.EnumerateArray())
        {
            var code = error.TryGetProperty("statusCode", out var sc) ? sc.GetString() : error.TryGetProperty("errorCode", out var ec) ? ec.GetString() : null;
            var message = error.TryGetProperty("message", out var m) ? m.GetString() : null;
            var fields = error.TryGetProperty("fields", out var f) && f.ValueKind == JsonValueKind.Array ? f.EnumerateArray().Select(x => x.GetString() ?? string.Empty).ToList() : [];
            errors.Add(new SalesforceError(code ?? "UNKNOWN_ERROR", message ?? string.Empty, fields));
        }

        return errors;
    }

    private static CollectionOptions Check(CollectionOptions? options, int max)
    {
        options ??= CollectionOptions.Default;
        if (options.BatchSize < 1 || options.BatchSize > max)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, $"BatchSize must be 1 to {max}.");
        }

        if (options.MaxConcurrency < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxConcurrency, "MaxConcurrency must be at least 1.");
        }

        return options;
    }

    /// <summary>What the calls of one write did: a result per record, and the errors calls threw (in the order they came).</summary>
    private sealed record Run(SaveResult[] Results, IReadOnlyList<Exception> Errors, int Calls)
    {
        /// <summary>The results; or, when a call threw, its error (the only call) or <see cref="CollectionsInterruptedException"/>.</summary>
        public SaveResult[] ResultsOrThrow()
        {
            if (Errors.Count == 0)
            {
                return Results;
            }

            if (Calls == 1)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(Errors[0]);
            }

            throw new CollectionsInterruptedException(
                $"A collections write of {Results.Length:N0} records in {Calls:N0} calls stopped partway ({Errors[0].Message}): {Results.Count(r => r.Success):N0} succeeded, " +
                $"{Results.Count(r => r.Errors is [{ ErrorCode: "OUTCOME_UNKNOWN" }]):N0} have an unknown outcome, {Results.Count(r => r.Errors is [{ ErrorCode: NotProcessed }]):N0} were not sent (Results has each record).",
                Results, Errors.Count == 1 ? Errors[0] : new AggregateException(Errors));
        }
    }

    /// <summary>
    /// Runs the calls chunk by chunk with bounded concurrency. A failed chunk with allOrNone, or a call that throws, stops the
    /// chunks not started (their records are <c>NOT_PROCESSED</c>); the calls under way run to their end, and a call that threw
    /// gives its records its error (<c>OUTCOME_UNKNOWN</c> when it may have been processed), so every record has a result.
    /// </summary>
    private static async Task<Run> RunAsync(int total, CollectionOptions options, Func<int, int, CancellationToken, Task<SaveResult[]>> call, CancellationToken cancellationToken)
    {
        var results = new SaveResult[total];
        var errors = new List<Exception>();
        string? stopped = null;
        await ForEachChunkAsync(total, options, async (start, count, token) =>
        {
            if (Volatile.Read(ref stopped) is { } why)
            {
                Array.Fill(results, new SaveResult(null, false, null, [new SalesforceError(NotProcessed, why, [])]), start, count);
                return;
            }

            try
            {
                var chunk = await call(start, count, token).ConfigureAwait(false);
                chunk.CopyTo(results, start);
                if (options.AllOrNone && chunk.Any(r => !r.Success))
                {
                    Interlocked.CompareExchange(ref stopped, "Not sent: an earlier all-or-none call failed.", null);
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                lock (errors)
                {
                    errors.Add(ex);
                }

                Interlocked.CompareExchange(ref stopped, $"Not sent: an earlier call failed with an error ({ex.Message}).", null);
                Array.Fill(results, new SaveResult(null, false, null, [CallError(ex)]), start, count);
            }
        }, cancellationToken).ConfigureAwait(false);
        return new Run(results, errors, (total + options.BatchSize - 1) / options.BatchSize);
    }

    /// <summary>The error of the records of a call that threw: Salesforce's error answer (nothing was saved), else an unknown outcome.</summary>
    private static SalesforceError CallError(Exception ex) => ex switch
    {
        MalformedResponseException or RequestTimeoutException => Unknown(ex),
        SalesforceAuthenticationException or SalesforceException { StatusCode: not null } => new SalesforceError(((SalesforceException)ex).ErrorCode ?? "UNKNOWN_ERROR", ex.Message, []),
        _ => Unknown(ex),
    };

    private static SalesforceError Unknown(Exception ex)
        => new("OUTCOME_UNKNOWN", $"The call's outcome is unknown ({ex.Message}): the record may have been saved; check before sending it again.", []);

    private static Task ForEachChunkAsync(int total, CollectionOptions options, Func<int, int, CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        var starts = Enumerable.Range(0, (total + options.BatchSize - 1) / options.BatchSize).Select(i => i * options.BatchSize);
        return Parallel.ForEachAsync(starts, new ParallelOptions { MaxDegreeOfParallelism = options.MaxConcurrency, CancellationToken = cancellationToken },
            async (start, token) => await call(start, Math.Min(options.BatchSize, total - start), token).ConfigureAwait(false));
    }
}
