using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sdk.Emulator.Data;
using Sdk.Runtime.Bulk.Csv;
using Sdk.Runtime.Records;

namespace Sdk.Emulator.Rest;

/// <summary>A Bulk API 1.0 job of the local org.</summary>
internal sealed class V1Job
{
    public required string Id { get; init; }

    public required string Operation { get; init; }

    public required string Object { get; init; }

    public required string ContentType { get; init; }

    public required string ApiVersion { get; init; }

    public bool Serial { get; init; }

    public string? ExternalIdFieldName { get; init; }

    public int? PkChunkSize { get; init; }

    public DateTimeOffset Created { get; init; }

    public string CreatedById { get; init; } = string.Empty;

    public string State { get; set; } = "Open";

    public DateTimeOffset Modstamp { get; set; }

    public List<V1Batch> Batches { get; } = [];

    /// <summary>Serial jobs run one batch at a time.</summary>
    public SemaphoreSlim Lane { get; } = new(1);

    public bool IsQuery => Operation is "query" or "queryAll";
}

/// <summary>A Bulk API 1.0 batch: its request, state, and results.</summary>
internal sealed class V1Batch
{
    public required string Id { get; init; }

    public required string JobId { get; init; }

    public DateTimeOffset Created { get; init; }

    public string State { get; set; } = "Queued";

    public string? StateMessage { get; set; }

    public DateTimeOffset Modstamp { get; set; }

    public long Processed { get; set; }

    public long Failed { get; set; }

    public byte[] Request { get; set; } = [];

    /// <summary>Ingest: one result per row, in row order.</summary>
    public List<CollectionsEndpoints.Result> Results { get; } = [];

    /// <summary>Query: result CSVs by result id.</summary>
    public List<(string Id, string Csv)> QueryResults { get; } = [];
}

/// <summary>
/// Bulk API 1.0 (<c>/services/async/{version}/job</c>): jobs (Open → Closed or Aborted) with CSV, JSON or XML content;
/// batches (Queued → InProgress → Completed, Failed or Not Processed) run in the background, one at a time for Serial jobs;
/// results per batch in row order; query batches with PK chunking (<c>Sforce-Enable-PKChunking</c>) split into chunk
/// batches by id while the original batch becomes Not Processed. Job and batch infos are XML (or JSON for JSON jobs), shaped
/// like the captured ones; errors are <c>&lt;error&gt;</c> documents with <c>InvalidJob</c>, <c>InvalidBatch</c>,
/// <c>InvalidJobState</c>…
/// </summary>
internal static class BulkV1Endpoints
{
    public const int MaxBatchRecords = 10_000;
    public const int MaxBatchBytes = 10_000_000;
    private const int QueryResultRows = 100_000;
    private static readonly XNamespace Ns = "http://www.force.com/2009/06/asyncapi/dataload";

    public static void Map(WebApplication app, OrgState org)
    {
        const string Base = "/services/async/{version}/job";
        app.MapPost(Base, (HttpContext c, string version) => CreateAsync(c, org, version));
        app.MapGet(Base + "/{id}", (HttpContext c, string id) => InfoAsync(c, Job(org, id)));
        app.MapPost(Base + "/{id}", (HttpContext c, string id) => StateAsync(c, org, Job(org, id)));
        app.MapPost(Base + "/{id}/batch", (HttpContext c, string id) => AddBatchAsync(c, org, Job(org, id)));
        app.MapGet(Base + "/{id}/batch", (HttpContext c, string id) => BatchesAsync(c, Job(org, id)));
        app.MapGet(Base + "/{id}/batch/{batch}", (HttpContext c, string id, string batch) => BatchAsync(c, Job(org, id), Batch(Job(org, id), batch)));
        app.MapGet(Base + "/{id}/batch/{batch}/request", (HttpContext c, string id, string batch) => RawAsync(c, Batch(Job(org, id), batch).Request, Job(org, id).ContentType));
        app.MapGet(Base + "/{id}/batch/{batch}/result", (HttpContext c, string id, string batch) => ResultAsync(c, Job(org, id), Batch(Job(org, id), batch)));
        app.MapGet(Base + "/{id}/batch/{batch}/result/{result}", (HttpContext c, string id, string batch, string result) => QueryResultAsync(c, Batch(Job(org, id), batch), result));
    }

    /// <summary>Bulk API 1.0's error document.</summary>
    public static async Task ErrorAsync(HttpContext context, ApiException error)
    {
        var first = error.Errors.Count > 0 ? error.Errors[0] : new ApiError("UNKNOWN_EXCEPTION", "error");
        context.Response.StatusCode = (int)error.Status;
        if (context.Request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            await Responses.JsonAsync(context, error.Status, w =>
            {
                w.WriteStartObject();
                w.WriteString("exceptionCode", first.ErrorCode);
                w.WriteString("exceptionMessage", first.Message);
                w.WriteEndObject();
            });
            return;
        }

        context.Response.ContentType = "application/xml";
        var xml = new XElement(Ns + "error", new XElement(Ns + "exceptionCode", first.ErrorCode), new XElement(Ns + "exceptionMessage", first.Message));
        await context.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + xml.ToString(SaveOptions.DisableFormatting), context.RequestAborted);
    }

    private static ApiException Invalid(string code, string message) => new(HttpStatusCode.BadRequest, code, message);

    private static V1Job Job(OrgState org, string id)
        => org.BulkV1Jobs.TryGetValue(id, out var job) ? job : throw Invalid("InvalidJob", $"Invalid job id: {id}");

    private static V1Batch Batch(V1Job job, string id)
    {
        lock (job)
        {
            return job.Batches.FirstOrDefault(b => b.Id == id) ?? throw Invalid("InvalidBatch", $"Invalid batch id: {id}");
        }
    }

    private static bool IsJson(HttpContext context) => context.Request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true;

    private static async Task CreateAsync(HttpContext context, OrgState org, string version)
    {
        if (!OrgState.IsVersion(version))
        {
            throw Invalid("InvalidVersion", $"Invalid API version: {version}");
        }

        var body = await Responses.ReadBodyAsync(context);
        Func<string, string?> field;
        try
        {
            if (IsJson(context))
            {
                var json = JsonDocument.Parse(body).RootElement.Clone();
                field = name => json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            }
            else
            {
                var root = XDocument.Parse(Encoding.UTF8.GetString(body)).Root ?? throw new System.Xml.XmlException("empty");
                field = name => root.Element(root.Name.Namespace + name)?.Value;
            }
        }
        catch (Exception ex) when (ex is JsonException or System.Xml.XmlException)
        {
            throw Invalid("InvalidJob", "Unable to parse the job: " + ex.Message);
        }

        var operation = field("operation") ?? throw Invalid("InvalidJob", "Operation is required");
        if (operation is not ("insert" or "update" or "upsert" or "delete" or "hardDelete" or "query" or "queryAll"))
        {
            throw Invalid("InvalidJob", $"Invalid operation: {operation}");
        }

        var objectName = field("object") ?? throw Invalid("InvalidJob", "Object is required");
        var schema = org.Schema.Find(objectName) ?? throw Invalid("InvalidJob", $"Unable to find object: {objectName}");
        var external = field("externalIdFieldName");
        if (operation == "upsert" && (external is null || schema.Field(external) is not { } f || !(f.ExternalId || f.IdLookup)))
        {
            throw Invalid("InvalidJob", $"External ID was blank or not an external id field for {schema.Name}. An External ID must be specified for upsert.");
        }

        var contentType = field("contentType") ?? "CSV";
        if (contentType is not ("CSV" or "JSON" or "XML"))
        {
            throw Invalid("InvalidJob", $"Unsupported content type: {contentType}");
        }

        int? chunk = null;
        if (context.Request.Headers["Sforce-Enable-PKChunking"].ToString() is { Length: > 0 } pk && !pk.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            if (operation is not ("query" or "queryAll"))
            {
                throw Invalid("InvalidJob", "PK chunking is only for query jobs");
            }

            chunk = 100_000;
            foreach (var part in pk.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (part.StartsWith("chunkSize=", StringComparison.OrdinalIgnoreCase))
                {
                    chunk = int.TryParse(part[10..], NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= 250_000
                        ? size
                        : throw Invalid("InvalidJob", $"Invalid chunk size: {part[10..]} (1 to 250000)");
                }
            }
        }

        var now = org.Time.GetUtcNow();
        var job = new V1Job
        {
            Id = SalesforceId.Parse("7505e" + org.NextJobNumber().ToString("D10", CultureInfo.InvariantCulture)).Value,
            Operation = operation, Object = schema.Name, ContentType = contentType, ApiVersion = version, Serial = field("concurrencyMode") == "Serial",
            ExternalIdFieldName = external, PkChunkSize = chunk, Created = now, Modstamp = now, CreatedById = org.Store.UserId,
        };
        org.BulkV1Jobs[job.Id] = job;
        context.Response.StatusCode = StatusCodes.Status201Created;
        await WriteInfoAsync(context, job.ContentType == "JSON", HttpStatusCode.Created, JobFields(job));
    }

    private static Task InfoAsync(HttpContext context, V1Job job) => WriteInfoAsync(context, job.ContentType == "JSON", HttpStatusCode.OK, JobFields(job));

    private static async Task StateAsync(HttpContext context, OrgState org, V1Job job)
    {
        var body = Encoding.UTF8.GetString(await Responses.ReadBodyAsync(context));
        string? state;
        try
        {
            state = IsJson(context)
                ? JsonDocument.Parse(body).RootElement.GetProperty("state").GetString()
                : XDocument.Parse(body).Root?.Elements().FirstOrDefault(e => e.Name.LocalName == "state")?.Value;
        }
        catch (Exception ex) when (ex is JsonException or System.Xml.XmlException or KeyNotFoundException)
        {
            throw Invalid("InvalidJob", "Unable to parse the state change: " + ex.Message);
        }

        lock (job)
        {
            if (job.State != "Open" || state is not ("Closed" or "Aborted"))
            {
                throw Invalid("InvalidJobState", $"Job {job.Id} is {job.State}; it cannot become {state ?? "(none)"}");
            }

            job.State = state;
            job.Modstamp = org.Time.GetUtcNow();
        }

        await InfoAsync(context, job);
    }

    private static async Task AddBatchAsync(HttpContext context, OrgState org, V1Job job)
    {
        var body = await Responses.ReadBodyAsync(context);
        var now = org.Time.GetUtcNow();
        var batch = new V1Batch { Id = SalesforceId.Parse("7515e" + org.NextJobNumber().ToString("D10", CultureInfo.InvariantCulture)).Value, JobId = job.Id, Created = now, Modstamp = now, Request = body };
        lock (job)
        {
            if (job.State != "Open")
            {
                throw Invalid("InvalidJobState", $"Job {job.Id} is not open: batches can only be added to an open job");
            }

            if (body.Length > MaxBatchBytes)
            {
                throw Invalid("InvalidBatch", $"The batch is {body.Length} bytes; a batch may hold at most {MaxBatchBytes} bytes");
            }

            job.Batches.Add(batch);
        }

        _ = Task.Run(() => RunAsync(org, job, batch));
        await WriteInfoAsync(context, job.ContentType == "JSON", HttpStatusCode.Created, BatchFields(batch));
    }

    private static Task BatchAsync(HttpContext context, V1Job job, V1Batch batch) => WriteInfoAsync(context, job.ContentType == "JSON", HttpStatusCode.OK, BatchFields(batch));

    private static async Task BatchesAsync(HttpContext context, V1Job job)
    {
        List<List<(string, object?)>> infos;
        lock (job)
        {
            infos = [.. job.Batches.Select(BatchFields)];
        }

        if (job.ContentType == "JSON")
        {
            await Responses.JsonAsync(context, HttpStatusCode.OK, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("batchInfo");
                foreach (var info in infos)
                {
                    WriteJson(w, info);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
            return;
        }

        await XmlAsync(context, HttpStatusCode.OK, new XElement(Ns + "batchInfoList", infos.Select(i => Xml("batchInfo", i))));
    }

    /// <summary>Runs one batch in the background (serial jobs one batch at a time).</summary>
    private static async Task RunAsync(OrgState org, V1Job job, V1Batch batch)
    {
        if (job.Serial)
        {
            await job.Lane.WaitAsync();
        }

        try
        {
            lock (job)
            {
                if (job.State == "Aborted")
                {
                    batch.State = "Not Processed";
                    batch.StateMessage = "The job was aborted";
                    return;
                }

                batch.State = "InProgress";
            }

            try
            {
                if (job.IsQuery)
                {
                    Query(org, job, batch);
                }
                else
                {
                    await IngestAsync(org, job, batch);
                }
            }
            catch (ApiException ex)
            {
                Set(org, job, batch, "Failed", "InvalidBatch : " + ex.Message);
            }
            catch (Exception ex) when (ex is CsvFormatException or JsonException or System.Xml.XmlException or FormatException)
            {
                Set(org, job, batch, "Failed", "InvalidBatch : Failed to parse the batch: " + ex.Message);
            }
        }
        finally
        {
            if (job.Serial)
            {
                job.Lane.Release();
            }
        }
    }

    private static void Set(OrgState org, V1Job job, V1Batch batch, string state, string? message)
    {
        lock (job)
        {
            batch.State = state;
            batch.StateMessage = message;
            batch.Modstamp = org.Time.GetUtcNow();
        }
    }

    private static async Task IngestAsync(OrgState org, V1Job job, V1Batch batch)
    {
        var schema = org.Schema.Find(job.Object)!;
        var records = await RowsAsync(job, batch.Request);
        if (records.Count > MaxBatchRecords)
        {
            Set(org, job, batch, "Failed", $"InvalidBatch : Records in a single batch cannot exceed {MaxBatchRecords}");
            return;
        }

        foreach (var group in records.GroupBy(r => r.Header, ReferenceEqualityComparer.Instance))
        {
            var header = (string[])group.Key!;
            if (BulkEndpoints.HeaderError(schema, job.Operation, header) is { } problem)
            {
                Set(org, job, batch, "Failed", problem);
                return;
            }
        }

        for (var start = 0; start < records.Count; start += 200)
        {
            var chunk = records.Skip(start).Take(200).ToList();
            foreach (var group in chunk.GroupBy(r => r.Header, ReferenceEqualityComparer.Instance))
            {
                // Rows of one chunk share a header, except XML and JSON records that each carry their own fields.
                var rows = group.Select(r => r.Values).ToList();
                var results = BulkEndpoints.RunChunk(org, job.Operation, job.ExternalIdFieldName, schema, (string[])group.Key!, rows);
                lock (job)
                {
                    batch.Results.AddRange(results);
                    batch.Processed += results.Length;
                    batch.Failed += results.Count(r => r.Errors is { Count: > 0 });
                }
            }
        }

        Set(org, job, batch, "Completed", null);
    }

    /// <summary>The batch's records as header and values: CSV rows, or JSON and XML records (#N/A for null).</summary>
    private static async Task<List<(string[] Header, string[] Values)>> RowsAsync(V1Job job, byte[] request)
    {
        var rows = new List<(string[] Header, string[] Values)>();
        switch (job.ContentType)
        {
            case "JSON":
                using (var doc = JsonDocument.Parse(request))
                {
                    foreach (var record in doc.RootElement.EnumerateArray())
                    {
                        var props = record.EnumerateObject().Where(p => p.Name != "attributes").ToList();
                        rows.Add(([.. props.Select(p => p.Name)], [.. props.Select(p => p.Value.ValueKind switch
                        {
                            JsonValueKind.Null => SObjectCsv.Null,
                            JsonValueKind.String => p.Value.GetString()!,
                            JsonValueKind.Object => throw new FormatException($"Nested objects are not supported in Bulk API 1.0 JSON batches ({p.Name})"),
                            _ => p.Value.GetRawText(),
                        })]));
                    }
                }

                break;
            case "XML":
                var root = XDocument.Parse(Encoding.UTF8.GetString(request)).Root ?? throw new FormatException("empty XML");
                XNamespace xsi = "http://www.w3.org/2001/XMLSchema-instance";
                foreach (var record in root.Elements())
                {
                    var elements = record.Elements().Where(e => e.Name.LocalName != "type").ToList();
                    rows.Add(([.. elements.Select(e => e.Name.LocalName)], [.. elements.Select(e => e.Attribute(xsi + "nil")?.Value == "true" ? SObjectCsv.Null : e.Value)]));
                }

                break;
            default:
                using (var reader = new CsvReader(new MemoryStream(request)))
                {
                    if (!await reader.ReadAsync())
                    {
                        return rows;
                    }

                    var header = reader.GetRow();
                    while (await reader.ReadAsync())
                    {
                        rows.Add((header, reader.GetRow()));
                    }
                }

                break;
        }

        return rows;
    }

    private static void Query(OrgState org, V1Job job, V1Batch batch)
    {
        var soql = Encoding.UTF8.GetString(batch.Request).Trim();
        var outcome = org.Engine.Execute(soql, includeDeleted: job.Operation == "queryAll");
        if (job.PkChunkSize is not { } size)
        {
            Fill(batch, outcome.Records);
            Set(org, job, batch, "Completed", null);
            return;
        }

        // PK chunking: chunk batches by id order; the original batch is not processed.
        var ordered = outcome.Records.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        var now = org.Time.GetUtcNow();
        lock (job)
        {
            for (var start = 0; start < ordered.Count || start == 0; start += size)
            {
                var chunk = new V1Batch
                {
                    Id = SalesforceId.Parse("7515e" + org.NextJobNumber().ToString("D10", CultureInfo.InvariantCulture)).Value,
                    JobId = job.Id, Created = now, Modstamp = now, Request = batch.Request, State = "Completed",
                };
                Fill(chunk, ordered.Skip(start).Take(size).ToList());
                job.Batches.Add(chunk);
                if (ordered.Count == 0)
                {
                    break;
                }
            }
        }

        Set(org, job, batch, "Not Processed", "Original batch for PK chunking: its chunk batches hold the results");
    }

    private static void Fill(V1Batch batch, List<Query.OutRecord> records)
    {
        for (var start = 0; start < records.Count || start == 0; start += QueryResultRows)
        {
            var (header, lines) = BulkEndpoints.RenderCsv([.. records.Skip(start).Take(QueryResultRows)], CsvDelimiter.Comma, CsvLineEnding.Lf);
            batch.QueryResults.Add(("7525e" + (batch.QueryResults.Count + 1).ToString("D10", CultureInfo.InvariantCulture), header + string.Concat(lines)));
            if (records.Count == 0)
            {
                break;
            }
        }

        batch.Processed = records.Count;
    }

    private static async Task ResultAsync(HttpContext context, V1Job job, V1Batch batch)
    {
        List<CollectionsEndpoints.Result> results;
        List<string> resultIds;
        lock (job)
        {
            if (batch.State is not ("Completed" or "Failed" or "Not Processed"))
            {
                throw Invalid("InvalidBatch", $"Batch not completed: {batch.Id} is {batch.State}");
            }

            results = [.. batch.Results];
            resultIds = [.. batch.QueryResults.Select(r => r.Id)];
        }

        if (job.IsQuery)
        {
            if (job.ContentType == "JSON")
            {
                await Responses.JsonAsync(context, HttpStatusCode.OK, w =>
                {
                    w.WriteStartArray();
                    resultIds.ForEach(w.WriteStringValue);
                    w.WriteEndArray();
                });
                return;
            }

            await XmlAsync(context, HttpStatusCode.OK, new XElement(Ns + "result-list", resultIds.Select(id => new XElement(Ns + "result", id))));
            return;
        }

        switch (job.ContentType)
        {
            case "JSON":
                await Responses.JsonAsync(context, HttpStatusCode.OK, w =>
                {
                    w.WriteStartArray();
                    foreach (var r in results)
                    {
                        w.WriteStartObject();
                        w.WriteBoolean("success", r.Errors is not { Count: > 0 });
                        w.WriteBoolean("created", r.Created == true && r.Errors is not { Count: > 0 });
                        if (r.Id is null)
                        {
                            w.WriteNull("id");
                        }
                        else
                        {
                            w.WriteString("id", r.Id);
                        }

                        w.WriteStartArray("errors");
                        foreach (var e in r.Errors ?? [])
                        {
                            w.WriteStartObject();
                            w.WriteString("statusCode", e.ErrorCode);
                            w.WriteString("message", e.Message);
                            w.WriteStartArray("fields");
                            foreach (var f in e.Fields ?? [])
                            {
                                w.WriteStringValue(f);
                            }

                            w.WriteEndArray();
                            w.WriteEndObject();
                        }

                        w.WriteEndArray();
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                });
                return;
            case "XML":
                await XmlAsync(context, HttpStatusCode.OK, new XElement(Ns + "results", results.Select(r => new XElement(Ns + "result",
                    new XElement(Ns + "id", r.Id ?? string.Empty),
                    (r.Errors ?? []).Select(e => new XElement(Ns + "errors", (e.Fields ?? []).Select(f => new XElement(Ns + "fields", f)), new XElement(Ns + "message", e.Message), new XElement(Ns + "statusCode", e.ErrorCode))),
                    new XElement(Ns + "success", r.Errors is { Count: > 0 } ? "false" : "true"),
                    new XElement(Ns + "created", r.Created == true && r.Errors is not { Count: > 0 } ? "true" : "false")))));
                return;
            default:
                var text = new StringBuilder("\"Id\",\"Success\",\"Created\",\"Error\"\n");
                foreach (var r in results)
                {
                    var failed = r.Errors is { Count: > 0 };
                    var error = failed ? string.Concat(r.Errors!.Select(e => $"{e.ErrorCode}:{e.Message}:{string.Join(',', e.Fields ?? [])} --")) : string.Empty;
                    text.Append(CultureInfo.InvariantCulture, $"\"{r.Id}\",\"{(failed ? "false" : "true")}\",\"{(r.Created == true && !failed ? "true" : "false")}\",\"{error.Replace("\"", "\"\"", StringComparison.Ordinal)}\"\n");
                }

                await RawAsync(context, Encoding.UTF8.GetBytes(text.ToString()), "CSV");
                return;
        }
    }

    private static Task QueryResultAsync(HttpContext context, V1Batch batch, string resultId)
    {
        var found = batch.QueryResults.FirstOrDefault(r => r.Id == resultId);
        return found.Id is null
            ? throw Invalid("InvalidBatch", $"Invalid result id: {resultId}")
            : RawAsync(context, Encoding.UTF8.GetBytes(found.Csv), "CSV");
    }

    private static Task RawAsync(HttpContext context, byte[] body, string contentType)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = contentType switch
        {
            "JSON" => "application/json",
            "XML" => "application/xml",
            _ => "text/csv",
        };
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static List<(string, object?)> JobFields(V1Job job)
    {
        lock (job)
        {
            var batches = job.Batches;
            var fields = new List<(string, object?)>
            {
                ("id", job.Id), ("operation", job.Operation), ("object", job.Object), ("createdById", job.CreatedById),
                ("createdDate", job.Created), ("systemModstamp", job.Modstamp), ("state", job.State),
            };
            if (job.ExternalIdFieldName is { } external)
            {
                fields.Add(("externalIdFieldName", external));
            }

            fields.AddRange([
                ("concurrencyMode", job.Serial ? "Serial" : "Parallel"), ("contentType", job.ContentType),
                ("numberBatchesQueued", batches.Count(b => b.State == "Queued")), ("numberBatchesInProgress", batches.Count(b => b.State == "InProgress")),
                ("numberBatchesCompleted", batches.Count(b => b.State == "Completed")), ("numberBatchesFailed", batches.Count(b => b.State == "Failed")),
                ("numberBatchesTotal", batches.Count), ("numberRecordsProcessed", batches.Sum(b => b.Processed)), ("numberRetries", 0),
                ("apiVersion", job.ApiVersion), ("numberRecordsFailed", batches.Sum(b => b.Failed)),
                ("totalProcessingTime", 0), ("apiActiveProcessingTime", 0), ("apexProcessingTime", 0),
            ]);
            return fields;
        }
    }

    private static List<(string, object?)> BatchFields(V1Batch batch)
    {
        var fields = new List<(string, object?)> { ("id", batch.Id), ("jobId", batch.JobId), ("state", batch.State) };
        if (batch.StateMessage is { } message)
        {
            fields.Add(("stateMessage", message));
        }

        fields.AddRange([
            ("createdDate", batch.Created), ("systemModstamp", batch.Modstamp), ("numberRecordsProcessed", batch.Processed), ("numberRecordsFailed", batch.Failed),
            ("totalProcessingTime", 0), ("apiActiveProcessingTime", 0), ("apexProcessingTime", 0),
        ]);
        return fields;
    }

    private static Task WriteInfoAsync(HttpContext context, bool json, HttpStatusCode status, List<(string, object?)> fields)
        => json
            ? Responses.JsonAsync(context, status, w => WriteJson(w, fields))
            : XmlAsync(context, status, Xml(fields.Any(f => f.Item1 == "jobId") ? "batchInfo" : "jobInfo", fields));

    private static void WriteJson(Utf8JsonWriter w, List<(string Name, object? Value)> fields)
    {
        w.WriteStartObject();
        foreach (var (name, value) in fields)
        {
            switch (value)
            {
                case DateTimeOffset d:
                    w.WriteString(name, WireFormat.DateTime(d));
                    break;
                case int or long:
                    w.WriteNumber(name, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                    break;
                case string s when name == "apiVersion":
                    w.WriteNumber(name, decimal.Parse(s, CultureInfo.InvariantCulture));
                    break;
                default:
                    w.WriteString(name, value?.ToString());
                    break;
            }
        }

        w.WriteEndObject();
    }

    private static XElement Xml(string name, List<(string Name, object? Value)> fields)
        => new(Ns + name, fields.Select(f => new XElement(Ns + f.Name, f.Value switch
        {
            DateTimeOffset d => d.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
            _ => f.Value?.ToString() ?? string.Empty,
        })));

    private static Task XmlAsync(HttpContext context, HttpStatusCode status, XElement root)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/xml";
        return context.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + root.ToString(SaveOptions.DisableFormatting), context.RequestAborted);
    }
}
