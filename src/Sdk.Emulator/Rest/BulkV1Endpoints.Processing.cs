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
}
