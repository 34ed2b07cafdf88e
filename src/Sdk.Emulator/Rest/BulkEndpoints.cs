using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sdk.Emulator.Data;
using Sdk.Emulator.Query;
using Sdk.Runtime.Bulk.Csv;
using Sdk.Runtime.Records;

namespace Sdk.Emulator.Rest;

/// <summary>
/// Bulk API 2.0 (<c>/jobs/ingest</c>, <c>/jobs/query</c>): jobs move Open → UploadComplete → InProgress → JobComplete (or
/// Failed, Aborted) as on Salesforce. An ingest job processes its upload in the background in batches of 200 rows under the
/// write lock, through the same validation as single-record calls, and keeps successful, failed and unprocessed CSVs
/// (<c>sf__Id</c>, <c>sf__Created</c>, <c>sf__Error</c> first, then the row as uploaded). A query job runs its SOQL and serves
/// the rows as CSV pages with <c>Sforce-Locator</c>, <c>maxRecords</c> and <c>resultPages</c>.
/// </summary>
internal static partial class BulkEndpoints
{
    public const int MaxUploadBytes = 150_000_000;
    private const int DefaultPageSize = 50_000;
    private const int ChunkSize = 200;

    public static void Map(WebApplication app, OrgState org)
    {
        const string Ingest = "/services/data/v{version}/jobs/ingest";
        const string Query = "/services/data/v{version}/jobs/query";
        app.MapPost(Ingest, (HttpContext c, string version) => CreateAsync(c, org, DataEndpoints.Version(version), query: false));
        app.MapPost(Query, (HttpContext c, string version) => CreateAsync(c, org, DataEndpoints.Version(version), query: true));
        app.MapGet(Ingest, (HttpContext c, string version) => ListAsync(c, org, DataEndpoints.Version(version), query: false));
        app.MapGet(Query, (HttpContext c, string version) => ListAsync(c, org, DataEndpoints.Version(version), query: true));
        app.MapGet(Ingest + "/{id}", (HttpContext c, string id) => InfoAsync(c, Job(org, id, query: false)));
        app.MapGet(Query + "/{id}", (HttpContext c, string id) => InfoAsync(c, Advance(org, Job(org, id, query: true))));
        app.MapMethods(Ingest + "/{id}", ["PATCH"], (HttpContext c, string id) => PatchAsync(c, org, Job(org, id, query: false)));
        app.MapMethods(Query + "/{id}", ["PATCH"], (HttpContext c, string id) => PatchAsync(c, org, Job(org, id, query: true)));
        app.MapDelete(Ingest + "/{id}", (HttpContext c, string id) => Delete(c, org, Job(org, id, query: false)));
        app.MapDelete(Query + "/{id}", (HttpContext c, string id) => Delete(c, org, Job(org, id, query: true)));
        app.MapPut(Ingest + "/{id}/batches", (HttpContext c, string id) => UploadAsync(c, Job(org, id, query: false)));
        app.MapGet(Ingest + "/{id}/successfulResults", (HttpContext c, string id) => ResultAsync(c, Job(org, id, query: false), j => j.Successful));
        app.MapGet(Ingest + "/{id}/failedResults", (HttpContext c, string id) => ResultAsync(c, Job(org, id, query: false), j => j.FailedRows));
        app.MapGet(Ingest + "/{id}/unprocessedrecords", (HttpContext c, string id) => ResultAsync(c, Job(org, id, query: false), j => j.Unprocessed));
        app.MapGet(Query + "/{id}/results", (HttpContext c, string id) => QueryResultsAsync(c, Job(org, id, query: true)));
        app.MapGet(Query + "/{id}/resultPages", (HttpContext c, string version, string id) => ResultPagesAsync(c, version, Job(org, id, query: true)));
    }

    private static BulkJob Job(OrgState org, string id, bool query)
        => org.BulkJobs.TryGetValue(id, out var job) && job.IsQuery == query ? job : throw ApiException.NotFound();

    private static async Task CreateAsync(HttpContext context, OrgState org, string version, bool query)
    {
        JsonElement body;
        try
        {
            body = JsonDocument.Parse(await Responses.ReadBodyAsync(context)).RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw ApiException.BadRequest("JSON_PARSER_ERROR", ex.Message);
        }

        string? Str(string name) => body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var delimiter = Str("columnDelimiter") ?? "COMMA";
        if (!Delimiters.ContainsKey(delimiter))
        {
            throw ApiException.BadRequest("INVALIDJOB", $"Invalid column delimiter: {delimiter}");
        }

        var lineEnding = Str("lineEnding") ?? "LF";
        if (lineEnding is not ("LF" or "CRLF"))
        {
            throw ApiException.BadRequest("INVALIDJOB", $"Invalid line ending: {lineEnding}");
        }

        if (Str("contentType") is { } contentType && contentType != "CSV")
        {
            throw ApiException.BadRequest("INVALIDJOB", $"Invalid content type for Bulk API 2.0: {contentType}; only CSV is supported");
        }

        var now = org.Time.GetUtcNow();
        var id = NewJobId(org);
        BulkJob job;
        if (query)
        {
            var operation = Str("operation") ?? "query";
            if (operation is not ("query" or "queryAll"))
            {
                throw ApiException.BadRequest("INVALIDJOB", $"Invalid operation for a query job: {operation}");
            }

            var soql = Str("query") ?? throw ApiException.BadRequest("INVALIDJOB", "The query is missing");
            var outcome = org.Engine.Execute(soql, includeDeleted: operation == "queryAll");
            job = new BulkJob
            {
                Id = id, Operation = operation, Object = outcome.Records.FirstOrDefault()?.Type ?? ObjectOf(soql), JobType = "V2Query", ApiVersion = version,
                ColumnDelimiter = delimiter, LineEnding = lineEnding, Created = now, Modstamp = now, CreatedById = org.Store.UserId, State = "UploadComplete",
            };
            Render(job, outcome.Records);
        }
        else
        {
            var operation = Str("operation") ?? throw ApiException.BadRequest("INVALIDJOB", "InvalidJob : Operation is required");
            if (operation is not ("insert" or "update" or "upsert" or "delete" or "hardDelete"))
            {
                throw ApiException.BadRequest("INVALIDJOB", $"InvalidJob : Invalid operation: {operation}");
            }

            var objectName = Str("object") ?? throw ApiException.BadRequest("INVALIDJOB", "InvalidJob : Object is required");
            var schema = org.Schema.Find(objectName) ?? throw ApiException.BadRequest("INVALIDJOB", $"InvalidJob : Unable to find object: {objectName}");
            var external = Str("externalIdFieldName");
            if (operation == "upsert")
            {
                if (string.IsNullOrEmpty(external))
                {
                    throw ApiException.BadRequest("INVALIDJOB", $"InvalidJob : External ID was blank for {schema.Name}. An External ID must be specified for upsert.");
                }

                if (schema.Field(external) is not { } f || !(f.ExternalId || f.IdLookup))
                {
                    throw ApiException.BadRequest("INVALIDJOB", $"InvalidJob : The field {external} is not an external id or idLookup field of {schema.Name}.");
                }
            }

            job = new BulkJob
            {
                Id = id, Operation = operation, Object = schema.Name, JobType = "V2Ingest", ApiVersion = version, ExternalIdFieldName = external,
                ColumnDelimiter = delimiter, LineEnding = lineEnding, Created = now, Modstamp = now, CreatedById = org.Store.UserId,
            };
        }

        org.BulkJobs[id] = job;
        await InfoAsync(context, job);
    }

    private static readonly Dictionary<string, CsvDelimiter> Delimiters = new(StringComparer.Ordinal)
    {
        ["COMMA"] = CsvDelimiter.Comma, ["TAB"] = CsvDelimiter.Tab, ["PIPE"] = CsvDelimiter.Pipe,
        ["SEMICOLON"] = CsvDelimiter.Semicolon, ["CARET"] = CsvDelimiter.Caret, ["BACKQUOTE"] = CsvDelimiter.Backquote,
    };

    private static string NewJobId(OrgState org)
        => SalesforceId.Parse("7505e" + org.NextJobNumber().ToString("D10", CultureInfo.InvariantCulture)).Value;

    /// <summary>A query job moves one state on each poll: UploadComplete, InProgress, JobComplete.</summary>
    private static BulkJob Advance(OrgState org, BulkJob job)
    {
        lock (job)
        {
            job.State = job.State switch
            {
                "UploadComplete" => "InProgress",
                "InProgress" => "JobComplete",
                _ => job.State,
            };
            job.Modstamp = org.Time.GetUtcNow();
        }

        return job;
    }

    private static string ObjectOf(string soql)
    {
        var from = soql.IndexOf(" from ", StringComparison.OrdinalIgnoreCase);
        return from < 0 ? string.Empty : soql[(from + 6)..].Trim().Split(' ', 2)[0];
    }

    private static Task InfoAsync(HttpContext context, BulkJob job)
    {
        lock (job)
        {
            var snapshot = Snapshot(job);
            return Responses.JsonAsync(context, HttpStatusCode.OK, w => snapshot.WriteTo(w));
        }
    }

    /// <summary>The job as Salesforce describes it (the shape of the captured get-info answers).</summary>
    private static JsonElement Snapshot(BulkJob job)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("id", job.Id);
            w.WriteString("operation", job.Operation);
            w.WriteString("object", job.Object);
            w.WriteString("createdById", job.CreatedById);
            w.WriteString("createdDate", WireFormat.DateTime(job.Created));
            w.WriteString("systemModstamp", WireFormat.DateTime(job.Modstamp));
            w.WriteString("state", job.State);
            if (job.ExternalIdFieldName is { } external)
            {
                w.WriteString("externalIdFieldName", external);
            }

            w.WriteString("concurrencyMode", "Parallel");
            w.WriteString("contentType", "CSV");
            w.WriteNumber("apiVersion", decimal.Parse(job.ApiVersion, CultureInfo.InvariantCulture));
            w.WriteString("jobType", job.JobType);
            w.WriteString("lineEnding", job.LineEnding);
            w.WriteString("columnDelimiter", job.ColumnDelimiter);
            w.WriteNumber("numberRecordsProcessed", job.Processed);
            if (!job.IsQuery)
            {
                w.WriteNumber("numberRecordsFailed", job.Failed);
            }

            w.WriteNumber("retries", 0);
            w.WriteNumber("totalProcessingTime", 0);
            if (!job.IsQuery)
            {
                w.WriteNumber("apiActiveProcessingTime", 0);
                w.WriteNumber("apexProcessingTime", 0);
            }

            if (job.ErrorMessage is { } error)
            {
                w.WriteString("errorMessage", error);
            }

            w.WriteEndObject();
        }

        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        return doc.RootElement.Clone();
    }

    private static Task ListAsync(HttpContext context, OrgState org, string version, bool query)
    {
        var jobs = org.BulkJobs.Values.Where(j => j.IsQuery == query).OrderBy(j => j.Created).ThenBy(j => j.Id, StringComparer.Ordinal).ToList();
        var snapshots = jobs.Select(j =>
        {
            lock (j)
            {
                return Snapshot(j);
            }
        }).ToList();
        return Responses.JsonAsync(context, HttpStatusCode.OK, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("done", true);
            w.WritePropertyName("records");
            w.WriteStartArray();
            foreach (var snapshot in snapshots)
            {
                snapshot.WriteTo(w);
            }

            w.WriteEndArray();
            w.WriteNull("nextRecordsUrl");
            w.WriteEndObject();
        });
    }

    private static async Task UploadAsync(HttpContext context, BulkJob job)
    {
        var body = await Responses.ReadBodyAsync(context);
        lock (job)
        {
            if (job.State != "Open")
            {
                throw new ApiException(HttpStatusCode.Conflict, "INVALIDJOBSTATE", $"Job {job.Id} is {job.State}: data can only be uploaded to an Open job");
            }

            if (job.Upload is not null)
            {
                throw new ApiException(HttpStatusCode.Conflict, "INVALIDJOBSTATE", "Only one upload is allowed per Bulk API 2.0 job; create another job for more data");
            }

            if (body.Length > MaxUploadBytes)
            {
                throw ApiException.BadRequest("INVALIDBATCH", $"InvalidBatch : The upload is {body.Length} bytes; the limit is {MaxUploadBytes} bytes");
            }

            job.Upload = new MemoryStream(body, writable: false);
        }

        context.Response.StatusCode = StatusCodes.Status201Created;
    }

    private static async Task PatchAsync(HttpContext context, OrgState org, BulkJob job)
    {
        string? state;
        try
        {
            using var doc = JsonDocument.Parse(await Responses.ReadBodyAsync(context));
            state = doc.RootElement.TryGetProperty("state", out var s) ? s.GetString() : null;
        }
        catch (JsonException ex)
        {
            throw ApiException.BadRequest("JSON_PARSER_ERROR", ex.Message);
        }

        lock (job)
        {
            switch (state)
            {
                case "UploadComplete" when !job.IsQuery && job.State == "Open":
                    job.State = "UploadComplete";
                    job.Modstamp = org.Time.GetUtcNow();
                    _ = Task.Run(() => ProcessAsync(org, job));
                    break;
                case "Aborted" when !job.IsFinished:
                    job.State = "Aborted";
                    job.Modstamp = org.Time.GetUtcNow();
                    break;
                default:
                    throw ApiException.BadRequest("INVALIDJOBSTATE", $"Cannot change the state of job {job.Id} from {job.State} to {state ?? "(none)"}");
            }
        }

        await InfoAsync(context, job);
    }

    private static Task Delete(HttpContext context, OrgState org, BulkJob job)
    {
        lock (job)
        {
            if (job.State is "Open" or "InProgress")
            {
                throw ApiException.BadRequest("INVALIDJOBSTATE", $"Job {job.Id} is {job.State}; only finished jobs can be deleted");
            }
        }

        org.BulkJobs.TryRemove(job.Id, out _);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private static Task ResultAsync(HttpContext context, BulkJob job, Func<BulkJob, StringBuilder> select)
    {
        string text;
        lock (job)
        {
            if (!job.IsFinished)
            {
                throw ApiException.BadRequest("INVALIDJOBSTATE", $"Job {job.Id} is {job.State}; results are available once it is finished");
            }

            text = select(job).ToString();
        }

        return CsvAsync(context, text, null, null);
    }

    private static Task CsvAsync(HttpContext context, string text, string? locator, int? count)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/csv";
        if (count is { } n)
        {
            context.Response.Headers["Sforce-Locator"] = locator ?? "null";
            context.Response.Headers["Sforce-NumberOfRecords"] = n.ToString(CultureInfo.InvariantCulture);
        }

        return context.Response.WriteAsync(text, Encoding.UTF8, context.RequestAborted);
    }

    internal static (string Header, List<string> Rows) RenderCsv(List<OutRecord> records, CsvDelimiter delimiter, CsvLineEnding newLine)
    {
        var columns = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            Flatten(record, string.Empty, (path, _) =>
            {
                if (seen.Add(path))
                {
                    columns.Add(path);
                }
            });
        }

        var text = new StringWriter(CultureInfo.InvariantCulture);
        using var writer = new CsvWriter(text, delimiter, newLine);
        writer.WriteRow(columns);
        var header = text.ToString();
        var lines = new List<string>(records.Count);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            values.Clear();
            Flatten(record, string.Empty, (path, value) => values[path] = value);
            text.GetStringBuilder().Clear();
            writer.WriteRow(columns.Select(c => values.GetValueOrDefault(c, string.Empty)));
            lines.Add(text.ToString());
        }

        return (header, lines);
    }
}
