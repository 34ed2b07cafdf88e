using System.Net;
using System.Text;
using System.Text.Json;
using RichardSzalay.MockHttp;
using Sdk.Runtime.Bulk;
using Sdk.Runtime.Bulk.Internal;
using Sdk.Runtime.Errors;
using Sdk.Runtime.Tests.TestSupport;

namespace Sdk.Runtime.Tests.Bulk;

/// <summary>Bulk API 2.0 over a mock server answering with captured Salesforce job infos and result CSVs.</summary>
public class BulkClientTests
{
    private const string D = TestClients.Data;
    private const string JobId = "7508Z00000lSXvxQAG";
    private const string QueryJobId = "7508Z00000lTqQCQA0";

    private static string Fixture(string name) => TestClients.Fixture("bulk-v2/" + name);

    private static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK)
        => new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private static HttpResponseMessage Csv(string csv, string? locator = null)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(csv, Encoding.UTF8, "text/csv") };
        if (locator is not null)
        {
            response.Headers.Add("Sforce-Locator", locator);
        }

        return response;
    }

    /// <summary>The captured job info in another state.</summary>
    private static string InfoIn(string state) => Fixture("get-info-7508z00000lSXvxQAG.200.json").Replace("\"JobComplete\"", $"\"{state}\"", StringComparison.Ordinal);

    private sealed class IngestServer
    {
        public List<string> Uploads { get; } = [];

        public List<string> Created { get; } = [];

        public MockHttpMessageHandler Mock { get; } = new();

        public IngestServer(string successful, string failed, string unprocessed, string finalInfo)
        {
            Mock.When(HttpMethod.Post, D + "/jobs/ingest").Respond(async r =>
            {
                Created.Add(await r.Content!.ReadAsStringAsync());
                return Json(InfoIn("Open"));
            });
            Mock.When(HttpMethod.Put, D + $"/jobs/ingest/{JobId}/batches").Respond(async r =>
            {
                Uploads.Add(await r.Content!.ReadAsStringAsync());
                return new HttpResponseMessage(HttpStatusCode.Created);
            });
            Mock.When(HttpMethod.Patch, D + $"/jobs/ingest/{JobId}").Respond(_ => Json(InfoIn("UploadComplete")));
            Mock.When(HttpMethod.Get, D + $"/jobs/ingest/{JobId}").Respond(_ => Json(finalInfo));
            Mock.When(HttpMethod.Get, D + $"/jobs/ingest/{JobId}/successfulResults/").Respond(_ => Csv(successful));
            Mock.When(HttpMethod.Get, D + $"/jobs/ingest/{JobId}/failedResults/").Respond(_ => Csv(failed));
            Mock.When(HttpMethod.Get, D + $"/jobs/ingest/{JobId}/unprocessedrecords/").Respond(_ => Csv(unprocessed));
        }
    }

    private static MemoryStream Input(string csv) => new(Encoding.UTF8.GetBytes(csv));

    /// <summary>A server for any number of <c>Name</c> jobs, each with its own id, whose result files are empty; the uploads.</summary>
    private static (MockHttpMessageHandler Mock, List<string> Uploads) AnyJobServer()
    {
        var uploads = new List<string>();
        var jobs = 0;
        var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Post, D + "/jobs/ingest").Respond(_ => Json(InfoIn("Open").Replace(JobId, $"750000000000{Interlocked.Increment(ref jobs):D3}AAA", StringComparison.Ordinal)));
        mock.When(HttpMethod.Put, D + "/jobs/ingest/*").Respond(async r =>
        {
            var body = await r.Content!.ReadAsStringAsync();
            lock (uploads)
            {
                uploads.Add(body);
            }

            return new HttpResponseMessage(HttpStatusCode.Created);
        });
        mock.When(HttpMethod.Patch, D + "/jobs/ingest/*").Respond(_ => Json(InfoIn("UploadComplete")));
        mock.When(HttpMethod.Get, D + "/jobs/ingest/*/successfulResults/").Respond(_ => Csv("sf__Id,sf__Created,Name\n"));
        mock.When(HttpMethod.Get, D + "/jobs/ingest/*/failedResults/").Respond(_ => Csv("sf__Id,sf__Error,Name\n"));
        mock.When(HttpMethod.Get, D + "/jobs/ingest/*/unprocessedrecords/").Respond(_ => Csv("Name\n"));
        mock.When(HttpMethod.Get, D + "/jobs/ingest/*").Respond(_ => Json(InfoIn("JobComplete")));
        return (mock, uploads);
    }

    [Fact]
    public async Task IngestCsv_RealSuccessfulResults_TiedBackByContent_NotByOrder()
    {
        var server = new IngestServer(Fixture("bulk-api-ingest-7508Z00000lSXvxQAG.200.csv"), "sf__Id,sf__Error,Name,Description,NumberOfEmployees\n",
            "Name,Description,NumberOfEmployees\n", Fixture("get-info-7508z00000lSXvxQAG.200.json"));
        using var client = TestClients.Create(server.Mock);
        const string Csv = "Name,Description,NumberOfEmployees\nTestAccount3,Yet another description,50\nTestAccount1,Description of TestAccount1,30\nTestAccount2,Another description,40\n";

        var result = await client.Bulk.IngestCsvAsync("Account", BulkOperation.Insert, Input(Csv));

        Assert.Equal(Csv, server.Uploads.Single());
        using (var job = JsonDocument.Parse(server.Created.Single()))
        {
            Assert.Equal("Account", job.RootElement.GetProperty("object").GetString());
            Assert.Equal("insert", job.RootElement.GetProperty("operation").GetString());
            Assert.Equal("CSV", job.RootElement.GetProperty("contentType").GetString());
            Assert.Equal("COMMA", job.RootElement.GetProperty("columnDelimiter").GetString());
            Assert.Equal("LF", job.RootElement.GetProperty("lineEnding").GetString());
        }

        Assert.True(result.IsSuccess);
        Assert.Equal(3, result.InputCount);
        Assert.Equal([0, 1, 2], result.Successful.Select(s => s.Index));
        Assert.Equal("0018Z00002rGc7aQAC", result.Successful[0].Id!.Value.Value); // TestAccount3 was the first input row
        Assert.Equal("TestAccount3", result.Successful[0].Item["Name"]);
        Assert.Equal("0018Z00002rGc7YQAS", result.Successful[1].Id!.Value.Value);
        Assert.All(result.Successful, s => Assert.True(s.Created));
        var info = Assert.Single(result.Jobs);
        Assert.Equal(BulkJobState.JobComplete, info.State);
        Assert.Equal(3, info.NumberRecordsProcessed);
        Assert.Equal("V2Ingest", info.JobType);
        Assert.Equal("53.0", info.ApiVersion);
    }

    [Fact]
    public async Task Ingest_CountsRowsByOutcome_AndReportsBatchesConsumed()
    {
        var measurements = new System.Collections.Concurrent.ConcurrentQueue<(long Value, Dictionary<string, object?> Tags)>();
        using var meters = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == Sdk.Runtime.Events.SalesforceTelemetry.BulkRecordsCounter)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var map = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                map[tag.Key] = tag.Value;
            }

            if (Equals(map.GetValueOrDefault("salesforce.sobject"), "Telemetry_Bulk__c"))
            {
                measurements.Enqueue((value, map));
            }
        });
        meters.Start();
        var info = Fixture("get-info-7508z00000lSXvxQAG.200.json").Replace("\"Account\"", "\"Telemetry_Bulk__c\"", StringComparison.Ordinal);
        var server = new IngestServer(Fixture("bulk-api-ingest-7508Z00000lSXvxQAG.200.csv"), Fixture("bulk-api-injest-fail-7508Z00000lSXvxQAG.200.csv"),
            "Name,Description,NumberOfEmployees\n", info);
        using var client = TestClients.Create(server.Mock);
        var batches = new List<Sdk.Runtime.Events.BulkApiBatchConsumptionEvent>();
        using var subscription = client.Events.Subscribe<Sdk.Runtime.Events.BulkApiBatchConsumptionEvent>(batches.Add);
        const string Csv = "Name,Description,NumberOfEmployees\nTestAccount1,Description of TestAccount1,30\nTestAccount2,Another description,40\nTestAccount3,Yet another description,50\n,Description of TestAccount1,30\n,Another description,40\n";

        await client.Bulk.IngestCsvAsync("Telemetry_Bulk__c", BulkOperation.Insert, Input(Csv));
        await client.FlushEventsAsync();

        var byOutcome = measurements.ToDictionary(m => (string)m.Tags["salesforce.bulk.outcome"]!, m => m.Value);
        Assert.Equal(3, byOutcome["succeeded"]);
        Assert.Equal(2, byOutcome["failed"]);
        Assert.False(byOutcome.ContainsKey("unprocessed")); // zero counts are not recorded
        Assert.All(measurements, m => Assert.Equal("insert", m.Tags["salesforce.bulk.operation"]));
        var consumed = Assert.Single(batches);
        Assert.Equal(JobId, consumed.JobId);
        Assert.Equal(1, consumed.Batches);
    }

    [Fact]
    public async Task IngestCsv_RealFailedAndUnprocessedResults_EveryRowAccountedFor()
    {
        var server = new IngestServer("sf__Id,sf__Created,Name,Description,NumberOfEmployees\n", Fixture("bulk-api-injest-fail-7508Z00000lSXvxQAG.200.csv"),
            Fixture("bulk-api-ingest-7508Z00000lSXvxQAG-unprocessed.200.csv"), InfoIn("Failed").Replace("\"retries\"", "\"errorMessage\": \"InvalidBatch : something\", \"retries\"", StringComparison.Ordinal));
        using var client = TestClients.Create(server.Mock);
        const string Csv = "Name,Description,NumberOfEmployees\n,Description of TestAccount1,30\nTestAccount3,Yet another description,50\n,Another description,40\n";

        var result = await client.Bulk.IngestCsvAsync("Account", BulkOperation.Insert, Input(Csv));

        Assert.Equal(3, result.Failed.Count + result.Unprocessed.Count + result.Successful.Count);
        Assert.Equal([0, 2], result.Failed.Select(f => f.Index));
        var error = result.Failed[0].Errors.Single();
        Assert.Equal("REQUIRED_FIELD_MISSING", error.ErrorCode);
        Assert.Equal("Required fields are missing: [Name]", error.Message);
        Assert.Equal(["Name"], error.Fields);
        var unprocessed = Assert.Single(result.Unprocessed);
        Assert.Equal(1, unprocessed.Index);
        Assert.Equal("JOB_FAILED", unprocessed.Errors.Single().ErrorCode);
        Assert.Equal("InvalidBatch : something", unprocessed.Errors.Single().Message);
        var ex = Assert.Throws<BulkIngestException>(() => result.ThrowIfFailed());
        Assert.Equal(2, ex.FailedCount);
        Assert.Equal(1, ex.UnprocessedCount);
    }

    [Fact]
    public async Task IngestCsv_RowsMissingFromEveryResultFile_AreUnprocessed_NotLost()
    {
        var server = new IngestServer(Fixture("bulk-api-ingest-7508Z00000lSXvxQAG.200.csv"), "sf__Id,sf__Error,Name,Description,NumberOfEmployees\n",
            "Name,Description,NumberOfEmployees\n", Fixture("get-info-7508z00000lSXvxQAG.200.json"));
        using var client = TestClients.Create(server.Mock);
        var csv = "Name,Description,NumberOfEmployees\nTestAccount1,Description of TestAccount1,30\nTestAccount2,Another description,40\nTestAccount3,Yet another description,50\nExtra,not in any result,1\n";

        var result = await client.Bulk.IngestCsvAsync("Account", BulkOperation.Insert, Input(csv));

        Assert.Equal(4, result.InputCount);
        Assert.Equal(3, result.Successful.Count);
        var missing = Assert.Single(result.Unprocessed);
        Assert.Equal(3, missing.Index);
        Assert.Equal("NOT_IN_RESULTS", missing.Errors.Single().ErrorCode);
    }

    [Fact]
    public async Task IngestCsv_ResultRowsWhoseValuesChanged_OneIsTiedToTheOneRowLeft_SeveralAreNotGuessed()
    {
        // One row, echoed with other values: the only result row left and the only input row left are the same row.
        var one = new IngestServer("sf__Id,sf__Created,Name\n001000000000001AAA,true,acme\n", "sf__Id,sf__Error,Name\n", "Name\n", Fixture("get-info-7508z00000lSXvxQAG.200.json"));
        using (var client = TestClients.Create(one.Mock))
        {
            var result = await client.Bulk.IngestCsvAsync("Account", BulkOperation.Insert, Input("Name\nAcme\n"));
            Assert.Equal("001000000000001AAA", Assert.Single(result.Successful).Id?.Value);
        }

        // Three rows sent, two echoed with other values: which is which cannot be told, so no outcome is guessed for them.
        var three = new IngestServer("sf__Id,sf__Created,Name\n001000000000001AAA,true,acme\n001000000000002AAA,true,Beta\n001000000000003AAA,true,gamma\n",
            "sf__Id,sf__Error,Name\n", "Name\n", Fixture("get-info-7508z00000lSXvxQAG.200.json"));
        using (var client = TestClients.Create(three.Mock))
        {
            var result = await client.Bulk.IngestCsvAsync("Account", BulkOperation.Insert, Input("Name\nAcme\nBeta\nGamma\n"));

            Assert.Equal((1, "001000000000002AAA"), (Assert.Single(result.Successful).Index, result.Successful[0].Id?.Value));
            Assert.Equal([0, 2], result.Unprocessed.Select(u => u.Index));
            Assert.All(result.Unprocessed, u =>
            {
                Assert.Equal("NOT_MATCHED", u.Errors.Single().ErrorCode);
                Assert.Contains("001000000000001AAA, 001000000000003AAA", u.Errors[0].Message, StringComparison.Ordinal);
            });
        }
    }

    [Fact]
    public async Task IngestCsv_UnreadableResultFile_IsAMalformedAnswerNamingTheRequest_ItsRowsOutcomeUnknown()
    {
        var server = new IngestServer("sf__Id,sf__Created,Name\n001000000000001AAA,true,\"Acme\n", "sf__Id,sf__Error,Name\n", "Name\n", Fixture("get-info-7508z00000lSXvxQAG.200.json"));
        using var client = TestClients.Create(server.Mock);

        var interrupted = await Assert.ThrowsAsync<BulkIngestInterruptedException<BulkCsvRow>>(() => client.Bulk.IngestCsvAsync("Account", BulkOperation.Insert, Input("Name\nAcme\n")));

        var ex = Assert.IsType<MalformedResponseException>(interrupted.InnerException);
        Assert.Contains($"GET /services/data/v66.0/jobs/ingest/{JobId}/successfulResults/", ex.Message, StringComparison.Ordinal);
        Assert.Contains("line 2", ex.Message, StringComparison.Ordinal);
        Assert.IsType<Sdk.Runtime.Bulk.Csv.CsvFormatException>(ex.InnerException);
        var row = Assert.Single(interrupted.Result.Unprocessed); // the job ran: its row may be stored, so it is not reported as safe to send again
        Assert.Equal("OUTCOME_UNKNOWN", row.Errors.Single().ErrorCode);
        Assert.Contains("successfulResults/", row.Errors.Single().Message, StringComparison.Ordinal);
        Assert.Equal(BulkJobState.JobComplete, Assert.Single(interrupted.Result.Jobs).State);
    }

    [Theory]
    [InlineData(2048, null)] // 100 rows of 49 bytes: 41 fit under 2,048 bytes with the header
    [InlineData(BulkIngestOptions.MaxUploadBytesLimit, 41)]
    public async Task IngestCsv_SplitsIntoJobsUnderTheUploadLimit_EachWithTheHeader(long maxUploadBytes, int? maxRecordsPerJob)
    {
        var (mock, uploads) = AnyJobServer();
        using var client = TestClients.Create(mock);
        var csv = "Name\n" + string.Concat(Enumerable.Range(0, 100).Select(i => $"Row {i:D3} {new string('x', 40)}\n"));

        var result = await client.Bulk.IngestCsvAsync("Account", BulkOperation.Insert, Input(csv), options: new BulkIngestOptions { MaxUploadBytes = maxUploadBytes, MaxRecordsPerJob = maxRecordsPerJob });

        Assert.Equal(3, uploads.Count); // 41 + 41 + 18
        Assert.All(uploads, u => Assert.True(Encoding.UTF8.GetByteCount(u) <= maxUploadBytes));
        Assert.All(uploads, u => Assert.StartsWith("Name\n", u, StringComparison.Ordinal));
        Assert.Equal(100, uploads.Sum(u => u.Count(c => c == '\n') - 1));
        Assert.Equal(csv.Split('\n')[1..^1], uploads.SelectMany(u => u.Split('\n')[1..^1]).Order(StringComparer.Ordinal)); // each row once, none lost at a split
        Assert.Equal(100, result.InputCount);
        Assert.Equal(100, result.Unprocessed.Count); // the mock's result files are empty: nothing is lost, all are reported
    }

    [Fact]
    public async Task IngestCsv_MalformedRowAfterJobsWereSent_TheErrorCarriesEveryRowRead()
    {
        var (mock, uploads) = AnyJobServer();
        using var client = TestClients.Create(mock);
        var csv = "Name\n" + string.Concat(Enumerable.Range(0, 100).Select(i => $"Row {i:D3} {new string('x', 40)}\n")) + "\"never closed\n";

        var ex = await Assert.ThrowsAsync<BulkIngestInterruptedException<BulkCsvRow>>(() =>
            client.Bulk.IngestCsvAsync("Account", BulkOperation.Insert, Input(csv), options: new BulkIngestOptions { MaxUploadBytes = 2048 }));

        Assert.Equal(102, Assert.IsType<Sdk.Runtime.Bulk.Csv.CsvFormatException>(ex.InnerException).Line);
        Assert.Equal(2, uploads.Count); // 41 + 41 rows of 49 bytes sent; the last 18 were waiting for their job
        Assert.Equal(100, ex.Result.InputCount);
        Assert.Equal(Enumerable.Range(0, 100), ex.Result.Unprocessed.Select(u => u.Index)); // the mock's result files are empty
        Assert.Equal(82, ex.Result.Unprocessed.Count(u => u.Errors.Single().ErrorCode == "NOT_IN_RESULTS"));
        Assert.Equal(Enumerable.Range(82, 18), ex.Result.Unprocessed.Where(u => u.Errors.Single().ErrorCode == "NOT_SENT").Select(u => u.Index));
    }

    [Fact]
    public async Task Ingest_OneJobTimesOut_TheOtherIsReported_ItsRowsHaveAnUnknownOutcomeNamingIt()
    {
        const string J1 = "750000000000001AAA", J2 = "750000000000002AAA";
        static string Info(string id, string state) => InfoIn(state).Replace(JobId, id, StringComparison.Ordinal);
        var time = new ManualTimeProvider();
        var jobs = 0;
        var deletes = 0;
        using var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Post, D + "/jobs/ingest").Respond(_ => Json(Info(Interlocked.Increment(ref jobs) == 1 ? J1 : J2, "Open")));
        mock.When(HttpMethod.Put, D + "/jobs/ingest/*").Respond(HttpStatusCode.Created);
        mock.When(HttpMethod.Patch, D + $"/jobs/ingest/{J1}").Respond(_ => Json(Info(J1, "UploadComplete")));
        mock.When(HttpMethod.Patch, D + $"/jobs/ingest/{J2}").Respond(_ => Json(Info(J2, "UploadComplete")));
        mock.When(HttpMethod.Get, D + $"/jobs/ingest/{J1}/successfulResults/").Respond(_ => Csv("sf__Id,sf__Created,Name\n001000000000002AAA,true,Beta\n001000000000001AAA,true,Acme\n"));
        mock.When(HttpMethod.Get, D + $"/jobs/ingest/{J1}/failedResults/").Respond(_ => Csv("sf__Id,sf__Error,Name\n"));
        mock.When(HttpMethod.Get, D + $"/jobs/ingest/{J1}/unprocessedrecords/").Respond(_ => Csv("Name\n"));
        mock.When(HttpMethod.Get, D + $"/jobs/ingest/{J1}").Respond(_ => Json(Info(J1, "JobComplete")));
        mock.When(HttpMethod.Get, D + $"/jobs/ingest/{J2}").Respond(_ => Json(Info(J2, "InProgress"))); // never ends
        mock.When(HttpMethod.Delete, D + "/jobs/ingest/*").Respond(_ =>
        {
            Interlocked.Increment(ref deletes);
            return Json("""[{"errorCode":"INVALID_JOB","message":"The job cannot be deleted now."}]""", HttpStatusCode.BadRequest);
        });
        using var client = TestClients.Create(mock, o => o.TimeProvider = time);

        var ex = await Assert.ThrowsAsync<BulkIngestInterruptedException<BulkCsvRow>>(() => client.Bulk.IngestCsvAsync("Account", BulkOperation.Insert, Input("Name\nAcme\nBeta\nGlobex\nInitech\n"),
            options: new BulkIngestOptions { MaxRecordsPerJob = 2, MaxConcurrentJobs = 1, Timeout = TimeSpan.FromMinutes(10), DeleteJobsWhenDone = true })); // jobs in turn: ids in order

        Assert.Equal(J2, Assert.IsType<BulkJobTimeoutException>(ex.InnerException).JobId);
        var result = ex.Result;
        Assert.Equal(4, result.InputCount);
        Assert.Equal([(0, "001000000000001AAA"), (1, "001000000000002AAA")], result.Successful.Select(s => (s.Index, s.Id!.Value.Value)));
        Assert.Equal(1, deletes); // the finished job's delete was refused: its outcome stands all the same
        Assert.Equal([2, 3], result.Unprocessed.Select(u => u.Index));
        Assert.All(result.Unprocessed, u =>
        {
            Assert.Equal(J2, u.JobId);
            var error = u.Errors.Single();
            Assert.Equal("OUTCOME_UNKNOWN", error.ErrorCode);
            Assert.StartsWith($"Job {J2}'s (InProgress when last seen) outcome could not be read (Bulk job {J2}", error.Message, StringComparison.Ordinal);
        });
        Assert.Equal([(J1, BulkJobState.JobComplete), (J2, BulkJobState.InProgress)], result.Jobs.Select(j => (j.Id, j.State)));
        Assert.Contains("2 rows succeeded, 0 failed, 2 unprocessed, of which 2 with an unknown outcome", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_RealJobAndPages_FollowsTheLocator_OneHeader_BackoffPolling()
    {
        var time = new ManualTimeProvider();
        var gets = 0;
        string? created = null;
        var resultUrls = new List<string>();
        using var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Post, D + "/jobs/query").Respond(async r =>
        {
            created = await r.Content!.ReadAsStringAsync();
            return Json(Fixture("query-create-job.200.json"));
        });
        mock.When(HttpMethod.Get, D + $"/jobs/query/{QueryJobId}/results").Respond(r =>
        {
            resultUrls.Add(r.RequestUri!.Query);
            return r.RequestUri!.Query.Contains("locator=", StringComparison.Ordinal)
                ? Csv(Fixture("bulk-api-query-get-more-results.200.csv"), "null")
                : Csv(Fixture("bulk-api-query-get-7508Z00000lTqQCQA0-result.200.csv"), "MTAwMDA");
        });
        mock.When(HttpMethod.Get, D + $"/jobs/query/{QueryJobId}").Respond(_ =>
            Json(++gets < 3 ? Fixture("get-info-7508z00000lTqQCQA0.200.json").Replace("JobComplete", "InProgress", StringComparison.Ordinal) : Fixture("get-info-7508z00000lTqQCQA0.200.json")));
        using var client = TestClients.Create(mock, o => o.TimeProvider = time);
        using var output = new MemoryStream();

        var (job, rows) = await client.Bulk.QueryCsvAsync("SELECT Id FROM Account", output, new BulkQueryOptions { PageSize = 3, IncludeDeleted = true });

        using (var body = JsonDocument.Parse(created!))
        {
            Assert.Equal("queryAll", body.RootElement.GetProperty("operation").GetString());
            Assert.Equal("SELECT Id FROM Account", body.RootElement.GetProperty("query").GetString());
        }

        Assert.Equal(BulkJobState.JobComplete, job.State);
        Assert.Equal(5, rows);
        Assert.Equal(["?maxRecords=3", "?locator=MTAwMDA&maxRecords=3"], resultUrls);
        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.Equal(1, text.Split("Id\n").Length - 1);
        Assert.Contains("0018Z00002f1vW5QAI", text, StringComparison.Ordinal);
        Assert.Contains("005R0000000GiwjIxx", text, StringComparison.Ordinal);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(2.25)], time.Delays);
    }

    [Fact]
    public async Task Wait_GrowsToTheCap_ThenTimesOut_NamingTheJob()
    {
        var time = new ManualTimeProvider();
        using var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Post, D + "/jobs/query").Respond(_ => Json(Fixture("get-info-7508z00000lTqQCQA0.200.json").Replace("JobComplete", "UploadComplete", StringComparison.Ordinal)));
        mock.When(HttpMethod.Get, D + $"/jobs/query/{QueryJobId}").Respond(_ => Json(Fixture("get-info-7508z00000lTqQCQA0.200.json").Replace("JobComplete", "InProgress", StringComparison.Ordinal)));
        using var client = TestClients.Create(mock, o => o.TimeProvider = time);

        var ex = await Assert.ThrowsAsync<BulkJobTimeoutException>(() => client.Bulk.QueryCsvAsync("SELECT Id FROM Account", Stream.Null,
            new BulkQueryOptions { PollInterval = TimeSpan.FromSeconds(2), MaxPollInterval = TimeSpan.FromSeconds(5), Timeout = TimeSpan.FromSeconds(30) }));

        Assert.Equal(QueryJobId, ex.JobId);
        Assert.Equal(BulkJobState.InProgress, ex.LastState);
        Assert.Contains(QueryJobId, ex.Message, StringComparison.Ordinal);
        Assert.Equal([2, 3, 4.5, 5, 5, 5, 5], time.Delays.Select(d => d.TotalSeconds));
    }

    [Fact]
    public async Task RealClientFailure_IsATypedException()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Get, D + "/jobs/query/750000000000000AAA").Respond(_ => Json(Fixture("bulk-api-query-get-info-client-failure.400.json"), HttpStatusCode.BadRequest));
        using var client = TestClients.Create(mock);

        var ex = await Assert.ThrowsAnyAsync<SalesforceException>(() => client.Bulk.GetJobAsync("750000000000000AAA", BulkJobKind.Query));
        Assert.Equal("NOT_FOUND", ex.ErrorCode);
        Assert.Contains("/jobs/query/750000000000000AAA", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Abort_SendsTheState_AndMalformedJobInfoNamesTheRequest()
    {
        string? sent = null;
        using var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Patch, D + $"/jobs/ingest/{JobId}").Respond(async r =>
        {
            sent = await r.Content!.ReadAsStringAsync();
            return Json(InfoIn("Aborted"));
        });
        mock.When(HttpMethod.Get, D + $"/jobs/ingest/{JobId}").Respond(_ => Json("""{"state":"Open"}"""));
        using var client = TestClients.Create(mock);

        var aborted = await client.Bulk.AbortJobAsync(JobId);
        Assert.Equal("""{"state":"Aborted"}""", sent);
        Assert.Equal(BulkJobState.Aborted, aborted.State);
        Assert.True(aborted.IsFinished);

        var ex = await Assert.ThrowsAsync<MalformedResponseException>(() => client.Bulk.GetJobAsync(JobId));
        Assert.Contains($"GET /services/data/v66.0/jobs/ingest/{JobId}", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --", "REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]", "Name")]
    [InlineData("INVALID_EMAIL_ADDRESS:Email: invalid email address: x:Email --", "INVALID_EMAIL_ADDRESS", "Email: invalid email address: x", "Email")]
    [InlineData("DUPLICATE_VALUE:duplicate value found:--", "DUPLICATE_VALUE", "duplicate value found", "")]
    public void SfError_IsParsedIntoCodeMessageAndFields(string text, string code, string message, string fields)
    {
        var error = BulkErrors.Parse(text).Single();
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(message, error.Message);
        Assert.Equal(fields.Length == 0 ? [] : fields.Split(','), error.Fields);
    }

    [Fact]
    public async Task Options_OutOfRange_AreRejectedBeforeAnyCall()
    {
        using var mock = new MockHttpMessageHandler();
        using var client = TestClients.Create(mock);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.Bulk.IngestCsvAsync("Account", BulkOperation.Insert, Input("Name\nx\n"),
            options: new BulkIngestOptions { MaxUploadBytes = 200_000_000 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.Bulk.QueryCsvAsync("SELECT Id FROM Account", Stream.Null, new BulkQueryOptions { ParallelPages = 9 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.Bulk.QueryCsvAsync("SELECT Id FROM Account", Stream.Null, new BulkQueryOptions { ParseParallelism = 0 }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => client.Bulk.IngestCsvAsync("Account", BulkOperation.Upsert, Input("Name\nx\n")));
        Assert.Equal(0, mock.GetMatchCount(mock.When("*")));
    }
}
