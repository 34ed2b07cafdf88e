using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Sdk.Emulator.Schema;
using Sdk.Runtime.Bulk.Csv;
using Sdk.Runtime.Records;

namespace Sdk.Emulator.Rest;

internal static partial class BulkEndpoints
{
    /// <summary>Processes an ingest job's upload in batches of 200 rows, each under the write lock.</summary>
    private static async Task ProcessAsync(OrgState org, BulkJob job)
    {
        lock (job)
        {
            if (job.State != "UploadComplete")
            {
                return;
            }

            job.State = "InProgress";
        }

        var schema = org.Schema.Find(job.Object)!;
        var delimiter = Delimiters[job.ColumnDelimiter];
        var newLine = job.LineEnding == "CRLF" ? CsvLineEnding.CrLf : CsvLineEnding.Lf;
        using var successful = new CsvWriter(new StringWriter(job.Successful, CultureInfo.InvariantCulture), delimiter, newLine);
        using var failed = new CsvWriter(new StringWriter(job.FailedRows, CultureInfo.InvariantCulture), delimiter, newLine);
        using var unprocessed = new CsvWriter(new StringWriter(job.Unprocessed, CultureInfo.InvariantCulture), delimiter, newLine);
        using var reader = new CsvReader(job.Upload ?? new MemoryStream(), delimiter);
        try
        {
            if (!await reader.ReadAsync())
            {
                Finish(org, job, "Failed", "InvalidBatch : The upload is empty: no header row");
                return;
            }

            var header = reader.GetRow();
            successful.WriteRow(["sf__Id", "sf__Created", .. header]);
            failed.WriteRow(["sf__Id", "sf__Error", .. header]);
            unprocessed.WriteRow(header);
            if (HeaderError(schema, job.Operation, header) is { } problem)
            {
                while (await reader.ReadAsync())
                {
                    unprocessed.WriteRow(reader.GetRow());
                }

                Finish(org, job, "Failed", problem);
                return;
            }

            var chunk = new List<string[]>(ChunkSize);
            var more = true;
            while (more)
            {
                chunk.Clear();
                while (chunk.Count < ChunkSize && (more = await reader.ReadAsync()))
                {
                    chunk.Add(reader.GetRow());
                }

                if (chunk.Count == 0)
                {
                    break;
                }

                lock (job)
                {
                    if (job.State == "Aborted")
                    {
                        foreach (var row in chunk)
                        {
                            unprocessed.WriteRow(row);
                        }

                        continue;
                    }
                }

                var batchFails = org.Options.Faults.Draw("BULK", "/jobs/ingest/" + job.Id, bulkBatch: true).Count > 0;
                var results = batchFails ? null : RunChunk(org, job.Operation, job.ExternalIdFieldName, schema, header, chunk);
                lock (job)
                {
                    for (var i = 0; i < chunk.Count; i++)
                    {
                        if (results is null)
                        {
                            failed.WriteRow(["", "UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record: --", .. chunk[i]]);
                            job.Failed++;
                        }
                        else if (results[i].Errors is { Count: > 0 } errors)
                        {
                            failed.WriteRow(["", string.Concat(errors.Select(e => $"{e.ErrorCode}:{e.Message}:{string.Join(',', e.Fields ?? [])} --")), .. chunk[i]]);
                            job.Failed++;
                        }
                        else
                        {
                            successful.WriteRow([results[i].Id, results[i].Created == true ? "true" : "false", .. chunk[i]]);
                        }

                        job.Processed++;
                    }

                    job.Modstamp = org.Time.GetUtcNow();
                }
            }

            lock (job)
            {
                Finish(org, job, job.State == "Aborted" ? "Aborted" : "JobComplete", null);
            }
        }
        catch (CsvFormatException ex)
        {
            Finish(org, job, "Failed", "InvalidBatch : " + ex.Message);
        }
        catch (Exception ex) when (ex is ApiException or InvalidOperationException or IOException)
        {
            Finish(org, job, "Failed", "InternalServerError : " + ex.Message);
        }
        finally
        {
            job.Upload = null;
        }
    }

    private static void Finish(OrgState org, BulkJob job, string state, string? error)
    {
        lock (job)
        {
            job.State = state;
            job.ErrorMessage = error;
            job.Modstamp = org.Time.GetUtcNow();
        }
    }

    internal static string? HeaderError(ObjectSchema schema, string operation, string[] header)
    {
        foreach (var column in header)
        {
            var dot = column.IndexOf('.', StringComparison.Ordinal);
            var known = column.Equals("Id", StringComparison.OrdinalIgnoreCase)
                || (dot < 0 ? schema.Field(column) is not null : schema.Relationship(column[..dot]) is not null);
            if (!known)
            {
                return $"InvalidBatch : Field name not found : {column}";
            }
        }

        if (operation is "update" or "delete" or "hardDelete" && !header.Contains("Id", StringComparer.OrdinalIgnoreCase))
        {
            return "InvalidBatch : Field name not found : Id (required for " + operation + ")";
        }

        return null;
    }

    /// <summary>Runs one chunk under the write lock: each row alone succeeds or fails, with the same checks as REST writes.</summary>
    internal static CollectionsEndpoints.Result[] RunChunk(OrgState org, string operation, string? externalIdField, ObjectSchema schema, string[] header, List<string[]> rows)
    {
        var results = new CollectionsEndpoints.Result[rows.Count];
        FieldSchema? external = externalIdField is { } name ? DataEndpoints.ExternalField(schema, name) : null;
        var store = org.Store;
        store.Gate.EnterWriteLock();
        try
        {
            for (var i = 0; i < rows.Count; i++)
            {
                try
                {
                    results[i] = RunRow(org, operation, schema, external, header, rows[i]);
                }
                catch (ApiException ex)
                {
                    results[i] = new CollectionsEndpoints.Result(null, ex.Errors);
                }
            }
        }
        finally
        {
            store.Gate.ExitWriteLock();
        }

        return results;
    }

    private static CollectionsEndpoints.Result RunRow(OrgState org, string jobOperation, ObjectSchema schema, FieldSchema? external, string[] header, string[] row)
    {
        if (row.Length != header.Length)
        {
            throw ApiException.BadRequest("INVALID_FIELD", $"The row has {row.Length} fields where the header has {header.Length}");
        }

        if (jobOperation is "delete" or "hardDelete")
        {
            var id = row[Array.FindIndex(header, h => h.Equals("Id", StringComparison.OrdinalIgnoreCase))];
            if (string.IsNullOrEmpty(id))
            {
                throw ApiException.BadRequest("MISSING_ARGUMENT", "Id not specified in a delete call", "Id");
            }

            var record = DataEndpoints.Record(org, schema, id, forWrite: true);
            DataEndpoints.DeleteCascading(org, record);
            return new CollectionsEndpoints.Result(record.Id, null, false);
        }

        using var doc = JsonDocument.Parse(RowJson(schema, header, row));
        var operation = jobOperation switch
        {
            "insert" => CollectionsEndpoints.Operation.Create,
            "update" => CollectionsEndpoints.Operation.Update,
            _ => CollectionsEndpoints.Operation.Upsert,
        };
        var result = CollectionsEndpoints.Plan(org, operation, doc.RootElement, schema, external)();
        return result with { Created = result.Created ?? operation == CollectionsEndpoints.Operation.Create };
    }

    /// <summary>A CSV row as a JSON record: empty is absent, <c>#N/A</c> is null, <c>Rel.Field</c> is a parent by external id, typed numbers and booleans.</summary>
    internal static byte[] RowJson(ObjectSchema schema, string[] header, string[] row)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WritePropertyName("attributes");
            w.WriteStartObject();
            w.WriteString("type", schema.Name);
            w.WriteEndObject();
            for (var i = 0; i < header.Length; i++)
            {
                var value = row[i];
                if (value.Length == 0)
                {
                    continue;
                }

                var name = header[i];
                var dot = name.IndexOf('.', StringComparison.Ordinal);
                if (dot > 0)
                {
                    w.WritePropertyName(name[..dot]);
                    w.WriteStartObject();
                    w.WriteString(name[(dot + 1)..], value);
                    w.WriteEndObject();
                    continue;
                }

                w.WritePropertyName(name.Equals("Id", StringComparison.OrdinalIgnoreCase) ? "Id" : name);
                var type = schema.Field(name)?.Type;
                if (value == SObjectCsv.Null)
                {
                    w.WriteNullValue();
                }
                else if (type == "boolean" && bool.TryParse(value, out var b))
                {
                    w.WriteBooleanValue(b);
                }
                else if (type is "int" or "double" or "currency" or "percent" or "long"
                    && decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                {
                    w.WriteNumberValue(d);
                }
                else
                {
                    w.WriteStringValue(value);
                }
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
