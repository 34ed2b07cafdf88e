using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Sdk.Emulator.Data;
using Sdk.Emulator.Query;
using Sdk.Runtime.Bulk.Csv;

namespace Sdk.Emulator.Rest;

internal static partial class BulkEndpoints
{
    /// <summary>Renders query rows as CSV lines: parents flattened to <c>Account.Name</c>, nulls empty, Bulk's formats.</summary>
    private static void Render(BulkJob job, List<OutRecord> records)
    {
        (job.QueryHeader, var rows) = RenderCsv(records, Delimiters[job.ColumnDelimiter], job.LineEnding == "CRLF" ? CsvLineEnding.CrLf : CsvLineEnding.Lf);
        job.QueryRows.AddRange(rows);
        job.Processed = records.Count;
    }

    private static void Flatten(OutRecord record, string prefix, Action<string, string> visit)
    {
        foreach (var cell in record.Cells)
        {
            switch (cell.Value)
            {
                case OutRecord parent:
                    Flatten(parent, prefix + cell.Name + ".", visit);
                    break;
                case OutChildren:
                    throw ApiException.BadRequest("INVALIDJOB", "InvalidJob : Bulk API 2.0 queries cannot include child relationship subqueries");
                case Dictionary<string, object?>:
                    throw ApiException.BadRequest("INVALIDJOB", $"InvalidJob : Bulk API 2.0 queries cannot select the compound field {cell.Name}");
                default:
                    visit(prefix + cell.Name, Text(cell.Value));
                    break;
            }
        }
    }

    private static string Text(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        bool b => b ? "true" : "false",
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        DateTimeOffset dto => dto.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        DateOnly date => WireFormat.Date(date),
        TimeOnly time => WireFormat.Time(time),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static Task QueryResultsAsync(HttpContext context, BulkJob job)
    {
        lock (job)
        {
            if (job.State != "JobComplete")
            {
                throw ApiException.BadRequest("INVALIDJOBSTATE", $"Job {job.Id} is {job.State}; results are available once it is JobComplete");
            }
        }

        var start = 0;
        if (context.Request.Query["locator"].ToString() is { Length: > 0 } locator
            && (!int.TryParse(locator, NumberStyles.None, CultureInfo.InvariantCulture, out start) || start > job.QueryRows.Count))
        {
            throw ApiException.BadRequest("INVALID_QUERY_LOCATOR", $"Invalid locator: {locator}");
        }

        var size = DefaultPageSize;
        if (context.Request.Query["maxRecords"].ToString() is { Length: > 0 } max
            && (!int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size <= 0))
        {
            throw ApiException.BadRequest("INVALIDREQUEST", $"Invalid maxRecords: {max}");
        }

        var end = Math.Min(job.QueryRows.Count, start + size);
        var page = new StringBuilder(job.QueryHeader);
        for (var i = start; i < end; i++)
        {
            page.Append(job.QueryRows[i]);
        }

        return CsvAsync(context, page.ToString(), end < job.QueryRows.Count ? end.ToString(CultureInfo.InvariantCulture) : null, end - start);
    }

    private static Task ResultPagesAsync(HttpContext context, string version, BulkJob job)
    {
        var size = int.TryParse(context.Request.Query["maxRecords"], NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m > 0 ? m : DefaultPageSize;
        var start = int.TryParse(context.Request.Query["locator"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : 0;
        var total = job.QueryRows.Count;
        var urls = new List<string>();
        var position = start;
        do
        {
            urls.Add($"/services/data/v{version}/jobs/query/{job.Id}/results?maxRecords={size}" + (position > 0 ? $"&locator={position}" : string.Empty));
            position += size;
        }
        while (urls.Count < 5 && position < total);

        var done = position >= total;
        return Responses.JsonAsync(context, HttpStatusCode.OK, w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("resultPages");
            w.WriteStartArray();
            foreach (var url in urls)
            {
                w.WriteStartObject();
                w.WriteString("resultUrl", url);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (done)
            {
                w.WriteNull("nextRecordsUrl");
            }
            else
            {
                w.WriteString("nextRecordsUrl", $"/services/data/v{version}/jobs/query/{job.Id}/resultPages?maxRecords={size}&locator={position}");
            }

            w.WriteBoolean("done", done);
            w.WriteEndObject();
        });
    }
}
