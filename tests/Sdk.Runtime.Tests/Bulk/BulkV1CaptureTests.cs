using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using RichardSzalay.MockHttp;
using Sdk.Runtime.Bulk;
using Sdk.Runtime.Tests.TestSupport;

namespace Sdk.Runtime.Tests.Bulk;

/// <summary>
/// Every Bulk API 1.0 answer captured from real orgs (Fixtures/bulk-v1, listed in its index.json with the request and the
/// answer's status and content type as recorded), answered to the client call that makes that request, and the parsed result
/// compared with the values read from the captured body here, independently of the SDK's parsers.
/// </summary>
public partial class BulkV1CaptureTests
{
    private static readonly XNamespace Ns = "http://www.force.com/2009/06/asyncapi/dataload";

    private sealed record Capture(string File, string Method, string Path, int Status, string ContentType, string RequestBody, string Body);

    private static readonly Lazy<IReadOnlyList<Capture>> All = new(() =>
    {
        using var index = JsonDocument.Parse(TestClients.Fixture("bulk-v1/index.json"));
        return [.. index.RootElement.EnumerateArray().Select(e =>
        {
            var file = e.GetProperty("file").GetString()!;
            var uri = new Uri(e.GetProperty("uri").GetString()!);
            var path = AsyncPath().Match(uri.AbsolutePath) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException($"{file}: {uri} is not a Bulk 1.0 address");
            return new Capture(file, e.GetProperty("method").GetString()!, path, e.GetProperty("status").GetInt32(), e.GetProperty("content_type").GetString()!,
                e.GetProperty("request_body").GetString() ?? string.Empty, TestClients.Fixture("bulk-v1/" + file));
        })];
    });

    [GeneratedRegex("^/+services/async/[^/]+(/job.*)$")]
    private static partial Regex AsyncPath();

    public static TheoryData<string> Files() => [.. All.Value.Select(c => c.File)];

    [Fact]
    public void TheIndex_ListsEveryCapturedFile()
    {
        var onDisk = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "bulk-v1")).Select(Path.GetFileName).Where(f => f != "index.json").Order(StringComparer.Ordinal);
        Assert.Equal(onDisk, All.Value.Select(c => c.File).Order(StringComparer.Ordinal));
        Assert.Equal(64, All.Value.Count);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task EveryCapture_ParsesToTheValuesItHolds(string file)
    {
        var capture = All.Value.Single(c => c.File == file);
        string? requested = null;
        using var mock = new MockHttpMessageHandler();
        mock.Fallback.Respond(request =>
        {
            requested = $"{request.Method} {request.RequestUri!.AbsolutePath}";
            var answer = new HttpResponseMessage((HttpStatusCode)capture.Status) { Content = new StringContent(capture.Body, Encoding.UTF8) };
            answer.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(capture.ContentType);
            return answer;
        });
        using var client = TestClients.Create(mock);
        var bulk = client.BulkV1;
        var segments = capture.Path.Split('/', StringSplitOptions.RemoveEmptyEntries); // job, {id}, batch, {id}, result, {id}

        switch (capture.Method, segments.Length)
        {
            case ("POST", 1):
                var request = XDocument.Parse(capture.RequestBody).Root!;
                AssertJob(capture.Body, await bulk.CreateJobAsync(new BulkV1JobRequest
                {
                    Operation = request.Element(Ns + "operation")!.Value,
                    Object = request.Element(Ns + "object")!.Value,
                    ContentType = Enum.Parse<BulkV1ContentType>(request.Element(Ns + "contentType")!.Value, ignoreCase: true),
                    ExternalIdFieldName = request.Element(Ns + "externalIdFieldName")?.Value,
                }));
                break;
            case ("POST", 2):
                var state = XDocument.Parse(capture.RequestBody).Root!.Element(Ns + "state")!.Value;
                AssertJob(capture.Body, state == "Aborted" ? await bulk.AbortJobAsync(segments[1]) : await bulk.CloseJobAsync(segments[1]));
                Assert.Equal("Closed", state); // every capture closes; the abort branch is covered elsewhere
                break;
            case ("GET", 2):
                AssertJob(capture.Body, await bulk.GetJobAsync(segments[1]));
                break;
            case ("POST", 3):
                var content = capture.RequestBody.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) && capture.ContentType.Contains("json", StringComparison.Ordinal)
                    ? BulkV1ContentType.Json : BulkV1ContentType.Csv;
                AssertBatch(Infos(capture.Body).Single(), await bulk.AddBatchAsync(segments[1], content, Encoding.UTF8.GetBytes(capture.RequestBody)));
                break;
            case ("GET", 3):
                var expected = Infos(capture.Body);
                var batches = await bulk.GetBatchesAsync(segments[1]);
                Assert.Equal(expected.Count, batches.Count); // some captures list none: a job closed without batches
                for (var i = 0; i < expected.Count; i++)
                {
                    AssertBatch(expected[i], batches[i]);
                }

                break;
            case ("GET", 4):
                AssertBatch(Infos(capture.Body).Single(), await bulk.GetBatchAsync(segments[1], segments[3]));
                break;
            case ("GET", 5) when capture.Body.TrimStart().StartsWith('['):
                // A query batch's result list: the ids of its result files.
                var ids = JsonDocument.Parse(capture.Body).RootElement.EnumerateArray().Select(e => e.GetString()!).ToList();
                Assert.Equal(ids, await bulk.GetQueryResultIdsAsync(segments[1], segments[3]));
                Assert.NotEmpty(ids);
                break;
            case ("GET", 5):
                var rows = CsvRows(capture.Body);
                var results = await bulk.GetBatchResultsAsync(segments[1], segments[3]);
                Assert.Equal(rows.Count, results.Count);
                Assert.NotEmpty(rows);
                for (var i = 0; i < rows.Count; i++)
                {
                    Assert.Equal(new BulkV1RowResult(rows[i]["Id"], rows[i]["Success"] == "true", rows[i]["Created"] == "true", rows[i]["Error"] is { Length: > 0 } e ? e : null), results[i]);
                }

                break;
            case ("GET", 6):
                await using (var stream = await bulk.OpenQueryResultAsync(segments[1], segments[3], segments[5]))
                using (var reader = new StreamReader(stream))
                {
                    Assert.Equal(capture.Body, await reader.ReadToEndAsync());
                }

                break;
            default:
                Assert.Fail($"{file}: no client call makes {capture.Method} {capture.Path}");
                break;
        }

        Assert.Equal($"{capture.Method} /services/async/66.0{capture.Path}", requested);
    }

    /// <summary>A job or batch info's fields by name, from XML (elements) or JSON (properties), as the capture holds them.</summary>
    private static Dictionary<string, string?> Info(string body)
    {
        var text = body.TrimStart();
        if (text.StartsWith('{'))
        {
            return JsonDocument.Parse(text).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.ToString());
        }

        return XDocument.Parse(text).Root!.Elements().ToDictionary(e => e.Name.LocalName, e => (string?)e.Value);
    }

    /// <summary>The batch infos of an answer: one (a batchInfo) or a list (batchInfoList).</summary>
    private static List<Dictionary<string, string?>> Infos(string body)
    {
        var text = body.TrimStart();
        if (text.StartsWith('{'))
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.TryGetProperty("batchInfo", out var list) ? [.. list.EnumerateArray().Select(e => Info(e.GetRawText()))] : [Info(text)];
        }

        var root = XDocument.Parse(text).Root!;
        return root.Name.LocalName == "batchInfoList" ? [.. root.Elements(Ns + "batchInfo").Select(e => Info(e.ToString()))] : [Info(text)];
    }

    private static void AssertJob(string body, BulkV1JobInfo job)
    {
        var raw = Info(body);
        Assert.Equal(raw["id"], job.Id);
        Assert.Equal(raw["operation"], job.Operation);
        Assert.Equal(raw["object"], job.Object);
        Assert.Equal(raw["state"], job.State.ToString());
        Assert.Equal(raw["concurrencyMode"], job.ConcurrencyMode.ToString());
        Assert.Equal(raw["contentType"], job.ContentType);
        Assert.Equal(raw.GetValueOrDefault("externalIdFieldName"), job.ExternalIdFieldName);
        Assert.Equal(raw["apiVersion"], job.ApiVersion);
        Assert.Equal(DateTimeOffset.Parse(raw["createdDate"]!, System.Globalization.CultureInfo.InvariantCulture), job.CreatedDate);
        Assert.Equal(
            (raw["numberBatchesQueued"], raw["numberBatchesInProgress"], raw["numberBatchesCompleted"], raw["numberBatchesFailed"], raw["numberBatchesTotal"], raw["numberRecordsProcessed"], raw["numberRecordsFailed"]),
            (N(job.NumberBatchesQueued), N(job.NumberBatchesInProgress), N(job.NumberBatchesCompleted), N(job.NumberBatchesFailed), N(job.NumberBatchesTotal), N(job.NumberRecordsProcessed), N(job.NumberRecordsFailed)));
    }

    private static void AssertBatch(Dictionary<string, string?> raw, BulkV1BatchInfo batch)
    {
        Assert.Equal(raw["id"], batch.Id);
        Assert.Equal(raw["jobId"], batch.JobId);
        Assert.Equal(raw["state"]!.Replace(" ", string.Empty, StringComparison.Ordinal), batch.State.ToString());
        Assert.Equal(raw.GetValueOrDefault("stateMessage"), batch.StateMessage);
        Assert.Equal(DateTimeOffset.Parse(raw["createdDate"]!.Replace("+0000", "Z", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture), batch.CreatedDate);
        Assert.Equal((raw["numberRecordsProcessed"], raw["numberRecordsFailed"]), (N(batch.NumberRecordsProcessed), N(batch.NumberRecordsFailed)));
    }

    private static string N(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A result CSV as the captures write it: every field quoted, none holding a quote or a comma (checked).</summary>
    private static List<Dictionary<string, string>> CsvRows(string body)
    {
        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        string[] Fields(string line)
        {
            Assert.Matches("^\"[^\",]*\"(,\"[^\",]*\")*$", line);
            return line[1..^1].Split("\",\"");
        }

        var header = Fields(lines[0]);
        return [.. lines.Skip(1).Select(l => header.Zip(Fields(l)).ToDictionary(p => p.First, p => p.Second))];
    }
}
