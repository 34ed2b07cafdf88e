using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Sdk.Runtime.Bulk.Csv;
using Sdk.Runtime.Records;

namespace Sdk.Emulator.Rest;

internal static partial class BulkV1Endpoints
{
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
            Fill(job, batch, outcome.Records);
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
                Fill(job, chunk, ordered.Skip(start).Take(size).ToList());
                job.Batches.Add(chunk);
                if (ordered.Count == 0)
                {
                    break;
                }
            }
        }

        Set(org, job, batch, "Not Processed", "Original batch for PK chunking: its chunk batches hold the results");
    }

    private static void Fill(V1Job job, V1Batch batch, List<Query.OutRecord> records)
    {
        for (var start = 0; start < records.Count || start == 0; start += QueryResultRows)
        {
            List<Query.OutRecord> part = [.. records.Skip(start).Take(QueryResultRows)];
            batch.QueryResults.Add(("7525e" + (batch.QueryResults.Count + 1).ToString("D10", CultureInfo.InvariantCulture), RenderResult(job, part)));
            if (records.Count == 0)
            {
                break;
            }
        }

        batch.Processed = records.Count;
    }

    /// <summary>
    /// A query result file in the job's content type: CSV; JSON, an array of records as the REST API writes them (with their
    /// attributes), as captured from real orgs; XML, a <c>queryResult</c> of <c>records</c> elements, each with its type.
    /// </summary>
    private static string RenderResult(V1Job job, List<Query.OutRecord> records)
    {
        if (job.ContentType == "CSV")
        {
            var (header, lines) = BulkEndpoints.RenderCsv(records, CsvDelimiter.Comma, CsvLineEnding.Lf);
            return header + string.Concat(lines);
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var record in records)
            {
                Sdk.Emulator.Query.QueryOutputWriter.WriteRecord(writer, record, job.ApiVersion);
            }

            writer.WriteEndArray();
        }

        if (job.ContentType == "JSON")
        {
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }

        using var json = JsonDocument.Parse(buffer.WrittenMemory);
        XNamespace xsi = "http://www.w3.org/2001/XMLSchema-instance";
        var root = new XElement(Ns + "queryResult", new XAttribute(XNamespace.Xmlns + "xsi", xsi), json.RootElement.EnumerateArray().Select(r => XmlRecord("records", r, xsi)));
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + root.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>
    /// A value in XML: a record as its type then its fields (<c>xsi:type="sObject"</c>), a parent nested the same way, a
    /// compound value or a subquery's result as its parts, each record of an array as an element of the same name, a null as
    /// <c>xsi:nil</c>.
    /// </summary>
    private static XElement XmlRecord(string name, JsonElement value, XNamespace xsi) => value.ValueKind switch
    {
        JsonValueKind.Object when value.TryGetProperty("attributes", out var attributes)
            => new(Ns + name, new XAttribute(xsi + "type", "sObject"), new XElement(Ns + "type", attributes.GetProperty("type").GetString()), XmlParts(value, xsi)),
        JsonValueKind.Object => new(Ns + name, XmlParts(value, xsi)),
        JsonValueKind.Null => new(Ns + name, new XAttribute(xsi + "nil", "true")),
        JsonValueKind.String => new(Ns + name, value.GetString()),
        _ => new(Ns + name, value.GetRawText()),
    };

    private static IEnumerable<XElement> XmlParts(JsonElement value, XNamespace xsi)
        => value.EnumerateObject().Where(p => p.Name != "attributes").SelectMany(p => p.Value.ValueKind == JsonValueKind.Array
            ? p.Value.EnumerateArray().Select(item => XmlRecord(p.Name, item, xsi))
            : [XmlRecord(p.Name, p.Value, xsi)]);
}
