using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sdk.Runtime.Records;

namespace Sdk.Emulator.Rest;

/// <summary>
/// Bulk API 1.0 (<c>/services/async/{version}/job</c>): jobs (Open → Closed or Aborted) with CSV, JSON or XML content;
/// batches (Queued → InProgress → Completed, Failed or Not Processed) run in the background, one at a time for Serial jobs;
/// results per batch in row order; query batches with PK chunking (<c>Sforce-Enable-PKChunking</c>) split into chunk
/// batches by id while the original batch becomes Not Processed. Job and batch infos are XML (or JSON for JSON jobs), shaped
/// like the captured ones; errors are <c>&lt;error&gt;</c> documents with <c>InvalidJob</c>, <c>InvalidBatch</c>,
/// <c>InvalidJobState</c>…
/// </summary>
internal static partial class BulkV1Endpoints
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
        app.MapGet(Base + "/{id}/batch/{batch}/result/{result}", (HttpContext c, string id, string batch, string result) => QueryResultAsync(c, Job(org, id), Batch(Job(org, id), batch), result));
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
        await WriteInfoAsync(context, IsJson(context), HttpStatusCode.Created, JobFields(job));
    }

    /// <summary>
    /// A job info, in the format of the request: a job created or changed with an XML body answers in XML whatever the job's
    /// content type (as captured from real orgs), a JSON body in JSON; a GET in the format its Accept header names, else the
    /// job's.
    /// </summary>
    private static Task InfoAsync(HttpContext context, V1Job job)
    {
        var accept = context.Request.Headers.Accept.ToString();
        var json = HttpMethods.IsGet(context.Request.Method)
            ? accept.Contains("json", StringComparison.OrdinalIgnoreCase) || (!accept.Contains("xml", StringComparison.OrdinalIgnoreCase) && job.ContentType == "JSON")
            : IsJson(context);
        return WriteInfoAsync(context, json, HttpStatusCode.OK, JobFields(job));
    }

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
}
