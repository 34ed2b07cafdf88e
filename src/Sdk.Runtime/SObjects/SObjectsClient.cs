using System.Text.Json;
using System.Text.Json.Nodes;
using Sdk.Runtime.Internal;
using Sdk.Runtime.Records;
using Sdk.Runtime.SObjects.Internal;

namespace Sdk.Runtime.SObjects;

/// <summary>
/// sObject operations. Each works with JSON (<see cref="JsonObject"/>) and with a caller's type, read and written through the
/// client's JSON metadata (generated records, a <c>JsonSerializerContext</c> given in
/// <see cref="SalesforceClientOptions.TypeInfoResolver"/>, or reflection where enabled).
/// </summary>
/// <remarks>Bodies never carry <c>attributes</c> or <c>Id</c>: they are removed before sending.</remarks>
public sealed class SObjectsClient
{
    private readonly SalesforceConnection _connection;
    private readonly SObjectApi _api;

    internal SObjectsClient(SalesforceConnection connection)
    {
        _connection = connection;
        _api = new SObjectApi(connection);
    }

    /// <summary>
    /// Creates a record from its changed fields (only createable ones are sent), then sets its <see cref="SObject.Id"/> and
    /// accepts its changes.
    /// </summary>
    /// <param name="record">A generated record (or a <see cref="DynamicSObject"/>).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The new id.</returns>
    public async Task<SalesforceId> CreateAsync(SObject record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ApiNames.CheckObject(record.SObjectType, nameof(record));
        var save = await _api.CreateAsync(record.SObjectType, Changes(record, SObjectWriteMode.Create), cancellationToken).ConfigureAwait(false);
        var id = SObjectApi.ParseId(save.Id);
        record.Id = id;
        record.AcceptChanges();
        return id;
    }

    /// <summary>Reads a record of a generated type by id.</summary>
    /// <typeparam name="T">The generated record type.</typeparam>
    /// <param name="id">The record id.</param>
    /// <param name="fields">
    /// The fields to read. When null: all of them, or, for a type generated with only some fields
    /// (<see cref="SObjectMetadata.FieldsSelected"/>), those.
    /// </param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="Errors.RecordNotFoundException">No such record.</exception>
    public Task<T> GetAsync<T>(SalesforceId id, IEnumerable<string>? fields = null, CancellationToken cancellationToken = default)
        where T : SObject, ISObjectType<T>
        => GetAsync<T>(T.SObjectName, id, fields ?? GeneratedFields<T>(), cancellationToken);

    /// <summary>Reads a record of a generated type by an external id field.</summary>
    /// <param name="externalIdField">The external id field.</param>
    /// <param name="externalIdValue">Its value.</param>
    /// <param name="fields">The fields to read, as for <see cref="GetAsync{T}(SalesforceId, IEnumerable{string}?, CancellationToken)"/>.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="Errors.RecordNotFoundException">No such record.</exception>
    /// <exception cref="Errors.MultipleRecordsFoundException">More than one record has that value.</exception>
    public Task<T> GetByExternalIdAsync<T>(string externalIdField, string externalIdValue, IEnumerable<string>? fields = null, CancellationToken cancellationToken = default)
        where T : SObject, ISObjectType<T>
        => GetByExternalIdAsync<T>(T.SObjectName, externalIdField, externalIdValue, fields ?? GeneratedFields<T>(), cancellationToken);

    /// <summary>The generated fields of a type generated with only some fields, else null (every field).</summary>
    private static IEnumerable<string>? GeneratedFields<T>()
        where T : SObject, ISObjectType<T>
        => T.Metadata.FieldsSelected ? T.Metadata.Fields.Select(f => f.ApiName) : null;

    /// <summary>
    /// Updates a record with its changed fields (only updateable ones: create-only, read-only and formula fields are never
    /// sent), then accepts its changes. A record without changes makes no request.
    /// </summary>
    /// <param name="record">A record with <see cref="SObject.Id"/> set.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="ArgumentException">The record has no id.</exception>
    public async Task UpdateAsync(SObject record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Id is not { IsEmpty: false } id)
        {
            throw new ArgumentException($"The {record.SObjectType} record has no Id; set it (or use CreateAsync or UpsertAsync).", nameof(record));
        }

        if (!record.HasChanges)
        {
            return;
        }

        await _api.UpdateAsync(record.SObjectType, id.Value, Changes(record, SObjectWriteMode.Update), cancellationToken).ConfigureAwait(false);
        record.AcceptChanges();
    }

    /// <summary>
    /// Creates or updates a record by the value of its external id field (which must be set), sending its changed fields; then
    /// sets its id and accepts its changes. Safe to retry: the same call cannot create two records.
    /// </summary>
    /// <param name="record">The record.</param>
    /// <param name="externalIdField">The external id field's API name.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<UpsertResult> UpsertAsync(SObject record, string externalIdField, CancellationToken cancellationToken = default)
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
        var result = await UpsertAsync(record.SObjectType, externalIdField, value, (object)record, cancellationToken).ConfigureAwait(false);
        if (result.Id is { } id)
        {
            record.Id = id;
        }

        record.AcceptChanges();
        return result;
    }

    /// <summary>Deletes a record (it goes to the recycle bin).</summary>
    /// <exception cref="ArgumentException">The record has no id.</exception>
    public Task DeleteAsync(SObject record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Id is { IsEmpty: false } id
            ? DeleteAsync(record.SObjectType, id, cancellationToken)
            : throw new ArgumentException($"The {record.SObjectType} record has no Id.", nameof(record));
    }

    /// <summary>Opens the content of a base64 field (a document body, an attachment) as a stream.</summary>
    /// <param name="blob">The field's value as read.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<Stream> OpenBlobAsync(SalesforceBlob blob, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blob);
        if (blob.Url is null)
        {
            return new MemoryStream(blob.Content?.ToArray() ?? [], writable: false);
        }

        var uri = await _connection.ResolveServerPathAsync(blob.Url, cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.ParseAdd("*/*");
        var response = await _connection.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Creates a record and returns its id.</summary>
    /// <param name="sObjectName">The object's API name, for example <c>Account</c>.</param>
    /// <param name="record">The field values.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public Task<SalesforceId> CreateAsync(string sObjectName, JsonObject record, CancellationToken cancellationToken = default)
        => CreateAsync<JsonObject>(sObjectName, record, cancellationToken);

    /// <summary>Creates a record from a caller's type and returns its id.</summary>
    public async Task<SalesforceId> CreateAsync<T>(string sObjectName, T record, CancellationToken cancellationToken = default)
    {
        ApiNames.CheckObject(sObjectName);
        ArgumentNullException.ThrowIfNull(record);
        var body = record is SObject s ? Changes(s, SObjectWriteMode.Create) : JsonBodyRewriter.Rewrite(Serialize(record), "create");
        var save = await _api.CreateAsync(sObjectName, body, cancellationToken).ConfigureAwait(false);
        return SObjectApi.ParseId(save.Id);
    }

    /// <summary>Reads a record as JSON.</summary>
    /// <param name="sObjectName">The object's API name.</param>
    /// <param name="id">The record id.</param>
    /// <param name="fields">The fields to read; all when null.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="Errors.RecordNotFoundException">No such record.</exception>
    public Task<JsonObject> GetAsync(string sObjectName, SalesforceId id, IEnumerable<string>? fields = null, CancellationToken cancellationToken = default)
        => GetAsync<JsonObject>(sObjectName, id, fields, cancellationToken);

    /// <summary>Reads a record into a caller's type.</summary>
    /// <exception cref="Errors.RecordNotFoundException">No such record.</exception>
    public Task<T> GetAsync<T>(string sObjectName, SalesforceId id, IEnumerable<string>? fields = null, CancellationToken cancellationToken = default)
    {
        ApiNames.CheckObject(sObjectName);
        CheckId(id);
        return _api.GetAsync(sObjectName, id.Value, CheckFields(fields), _connection.GetTypeInfo<T>(), cancellationToken);
    }

    /// <summary>Reads a record by an external id field as JSON.</summary>
    /// <exception cref="Errors.RecordNotFoundException">No such record.</exception>
    /// <exception cref="Errors.MultipleRecordsFoundException">More than one record has that value.</exception>
    public Task<JsonObject> GetByExternalIdAsync(string sObjectName, string externalIdField, string externalIdValue, IEnumerable<string>? fields = null, CancellationToken cancellationToken = default)
        => GetByExternalIdAsync<JsonObject>(sObjectName, externalIdField, externalIdValue, fields, cancellationToken);

    /// <summary>Reads a record by an external id field into a caller's type.</summary>
    /// <exception cref="Errors.RecordNotFoundException">No such record.</exception>
    /// <exception cref="Errors.MultipleRecordsFoundException">More than one record has that value.</exception>
    public Task<T> GetByExternalIdAsync<T>(string sObjectName, string externalIdField, string externalIdValue, IEnumerable<string>? fields = null, CancellationToken cancellationToken = default)
    {
        ApiNames.CheckObject(sObjectName);
        ApiNames.CheckField(externalIdField, nameof(externalIdField));
        ArgumentException.ThrowIfNullOrEmpty(externalIdValue);
        return _api.GetByExternalIdAsync(sObjectName, externalIdField, externalIdValue, CheckFields(fields), _connection.GetTypeInfo<T>(), cancellationToken);
    }

    /// <summary>Updates the given fields of a record. A field set to null is cleared.</summary>
    public Task UpdateAsync(string sObjectName, SalesforceId id, JsonObject record, CancellationToken cancellationToken = default)
        => UpdateAsync<JsonObject>(sObjectName, id, record, cancellationToken);

    /// <summary>Updates a record from a caller's type (every property it serializes is sent).</summary>
    public Task UpdateAsync<T>(string sObjectName, SalesforceId id, T record, CancellationToken cancellationToken = default)
    {
        ApiNames.CheckObject(sObjectName);
        CheckId(id);
        ArgumentNullException.ThrowIfNull(record);
        var body = record is SObject s ? Changes(s, SObjectWriteMode.Update) : JsonBodyRewriter.Rewrite(Serialize(record), "update");
        return _api.UpdateAsync(sObjectName, id.Value, body, cancellationToken);
    }

    /// <summary>
    /// Creates or updates the record whose external id field has the given value. If the body holds that field, its value must
    /// equal <paramref name="externalIdValue"/>; it is then left out of the body, as Salesforce requires.
    /// </summary>
    /// <exception cref="Errors.MultipleRecordsFoundException">More than one record has that value.</exception>
    public Task<UpsertResult> UpsertAsync(string sObjectName, string externalIdField, string externalIdValue, JsonObject record, CancellationToken cancellationToken = default)
        => UpsertAsync<JsonObject>(sObjectName, externalIdField, externalIdValue, record, cancellationToken);

    /// <summary>Creates or updates a record from a caller's type by external id.</summary>
    /// <exception cref="Errors.MultipleRecordsFoundException">More than one record has that value.</exception>
    public async Task<UpsertResult> UpsertAsync<T>(string sObjectName, string externalIdField, string externalIdValue, T record, CancellationToken cancellationToken = default)
    {
        ApiNames.CheckObject(sObjectName);
        ApiNames.CheckField(externalIdField, nameof(externalIdField));
        ArgumentException.ThrowIfNullOrEmpty(externalIdValue);
        ArgumentNullException.ThrowIfNull(record);
        var body = JsonBodyRewriter.Rewrite(record is SObject s ? Changes(s, SObjectWriteMode.Upsert) : Serialize(record), "upsert", externalIdField, externalIdValue);
        var (status, save) = await _api.UpsertAsync(sObjectName, externalIdField, externalIdValue, body, cancellationToken).ConfigureAwait(false);
        if (save is null)
        {
            return new UpsertResult(null, Created: false);
        }

        return new UpsertResult(SObjectApi.ParseId(save.Id), save.Created ?? status == System.Net.HttpStatusCode.Created);
    }

    /// <summary>Deletes a record (it goes to the recycle bin).</summary>
    /// <exception cref="Errors.RecordNotFoundException">No such record, or already deleted.</exception>
    public Task DeleteAsync(string sObjectName, SalesforceId id, CancellationToken cancellationToken = default)
    {
        ApiNames.CheckObject(sObjectName);
        CheckId(id);
        return _api.DeleteAsync($"sobjects/{sObjectName}/{id.Value}", cancellationToken);
    }

    /// <summary>Deletes the record whose external id field has the given value.</summary>
    /// <exception cref="Errors.MultipleRecordsFoundException">More than one record has that value.</exception>
    public Task DeleteByExternalIdAsync(string sObjectName, string externalIdField, string externalIdValue, CancellationToken cancellationToken = default)
    {
        ApiNames.CheckObject(sObjectName);
        ApiNames.CheckField(externalIdField, nameof(externalIdField));
        ArgumentException.ThrowIfNullOrEmpty(externalIdValue);
        return _api.DeleteAsync($"sobjects/{sObjectName}/{externalIdField}/{Uri.EscapeDataString(externalIdValue)}", cancellationToken);
    }

    /// <summary>Lists the org's objects (<c>GET /sobjects</c>).</summary>
    public async Task<GlobalDescribe> DescribeGlobalAsync(CancellationToken cancellationToken = default)
    {
        var root = await _api.DescribeGlobalAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<SObjectSummary>();
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("sobjects", out var sobjects) && sobjects.ValueKind == JsonValueKind.Array)
        {
            foreach (var o in sobjects.EnumerateArray())
            {
                if (Str(o, "name") is not { } name)
                {
                    continue;
                }

                list.Add(new SObjectSummary(name, Str(o, "label") ?? name, Str(o, "keyPrefix"), Bool(o, "custom"), Bool(o, "queryable"),
                    Bool(o, "createable"), Bool(o, "updateable"), Bool(o, "deletable"))
                {
                    LabelPlural = Str(o, "labelPlural"),
                    Searchable = Bool(o, "searchable"),
                    CustomSetting = Bool(o, "customSetting"),
                });
            }
        }

        var encoding = root.ValueKind == JsonValueKind.Object ? Str(root, "encoding") : null;
        var max = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("maxBatchSize", out var m) && m.TryGetInt32(out var mb) ? mb : 0;
        return new GlobalDescribe(encoding, max, list);
    }

    /// <summary>The full describe of an object (<c>GET /sobjects/{X}/describe</c>), as Salesforce returns it.</summary>
    /// <exception cref="Errors.RecordNotFoundException">No such object.</exception>
    public async Task<JsonObject> DescribeAsync(string sObjectName, CancellationToken cancellationToken = default)
    {
        ApiNames.CheckObject(sObjectName);
        var (describe, _) = await _api.DescribeAsync(sObjectName, null, cancellationToken).ConfigureAwait(false);
        return describe!;
    }

    /// <summary>The describe of an object if it changed since <paramref name="ifModifiedSince"/>; null when it did not (304).</summary>
    public async Task<JsonObject?> DescribeIfModifiedAsync(string sObjectName, DateTimeOffset ifModifiedSince, CancellationToken cancellationToken = default)
    {
        ApiNames.CheckObject(sObjectName);
        var (describe, _) = await _api.DescribeAsync(sObjectName, ifModifiedSince, cancellationToken).ConfigureAwait(false);
        return describe;
    }

    /// <summary>
    /// The describe of an object with the org's <c>Last-Modified</c> time of its metadata; when <paramref name="ifModifiedSince"/>
    /// is given and nothing changed since, <see cref="SObjectDescribeResult.NotModified"/> is true and no body is read (304).
    /// </summary>
    /// <exception cref="Errors.RecordNotFoundException">No such object.</exception>
    public async Task<SObjectDescribeResult> DescribeAsync(string sObjectName, DateTimeOffset? ifModifiedSince, CancellationToken cancellationToken = default)
    {
        ApiNames.CheckObject(sObjectName);
        var (describe, lastModified) = await _api.DescribeAsync(sObjectName, ifModifiedSince, cancellationToken).ConfigureAwait(false);
        return new SObjectDescribeResult(describe, lastModified);
    }

    /// <summary>Ids of records created or updated between <paramref name="start"/> and <paramref name="end"/> (at most 30 days back).</summary>
    public async Task<UpdatedRecords> GetUpdatedAsync(string sObjectName, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken = default)
    {
        ApiNames.CheckObject(sObjectName);
        CheckWindow(start, end);
        var r = await _api.GetUpdatedAsync(sObjectName, start, end, cancellationToken).ConfigureAwait(false);
        return new UpdatedRecords((r.Ids ?? []).Select(i => SObjectApi.ParseId(i)).ToArray(), r.LatestDateCovered);
    }

    /// <summary>Records deleted between <paramref name="start"/> and <paramref name="end"/> (at most 30 days back).</summary>
    public async Task<DeletedRecords> GetDeletedAsync(string sObjectName, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken = default)
    {
        ApiNames.CheckObject(sObjectName);
        CheckWindow(start, end);
        var r = await _api.GetDeletedAsync(sObjectName, start, end, cancellationToken).ConfigureAwait(false);
        return new DeletedRecords((r.DeletedRecords ?? []).Select(d => new DeletedRecord(SObjectApi.ParseId(d.Id), d.DeletedDate)).ToArray(),
            r.EarliestDateAvailable, r.LatestDateCovered);
    }

    private byte[] Serialize<T>(T record) => JsonSerializer.SerializeToUtf8Bytes(record, _connection.GetTypeInfo<T>());

    /// <summary>The body of a write: the record's changed fields the operation may send.</summary>
    internal byte[] Changes(SObject record, SObjectWriteMode mode)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            record.WriteChanges(writer, mode, _connection.Json);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void CheckId(SalesforceId id)
    {
        if (id.IsEmpty)
        {
            throw new ArgumentException("The record id is empty.", nameof(id));
        }
    }

    private static string[]? CheckFields(IEnumerable<string>? fields)
    {
        if (fields is null)
        {
            return null;
        }

        var list = fields.ToArray();
        foreach (var f in list)
        {
            ApiNames.CheckField(f, nameof(fields));
        }

        return list;
    }

    private static void CheckWindow(DateTimeOffset start, DateTimeOffset end)
    {
        if (end <= start)
        {
            throw new ArgumentException($"The window's end ({end:O}) must be after its start ({start:O}).", nameof(end));
        }
    }

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool Bool(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
}
