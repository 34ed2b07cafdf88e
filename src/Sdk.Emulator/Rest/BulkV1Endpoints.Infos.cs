using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Sdk.Emulator.Data;

namespace Sdk.Emulator.Rest;

internal static partial class BulkV1Endpoints
{
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

    private static Task QueryResultAsync(HttpContext context, V1Job job, V1Batch batch, string resultId)
    {
        var found = batch.QueryResults.FirstOrDefault(r => r.Id == resultId);
        return found.Id is null
            ? throw Invalid("InvalidBatch", $"Invalid result id: {resultId}")
            : RawAsync(context, Encoding.UTF8.GetBytes(found.Body), job.ContentType);
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
        var fields = new List<(string, object?)> { ("id", batch.Id), ("jobId", batch.JobId), ("state", batch.State), ("stateMessage", batch.StateMessage) };
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

    /// <summary>An info in JSON: its properties in name order and a missing state message as null, as captured from real orgs.</summary>
    private static void WriteJson(Utf8JsonWriter w, List<(string Name, object? Value)> fields)
    {
        w.WriteStartObject();
        foreach (var (name, value) in fields.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            switch (value)
            {
                case null:
                    w.WriteNull(name);
                    break;
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
        => new(Ns + name, fields.Where(f => f.Value is not null).Select(f => new XElement(Ns + f.Name, f.Value switch
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
