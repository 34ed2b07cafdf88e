using System.Net;
using System.Text;
using RichardSzalay.MockHttp;
using Sdk.Runtime.Bulk;
using Sdk.Runtime.Errors;
using Sdk.Runtime.Tests.TestSupport;

namespace Sdk.Runtime.Tests.Bulk;

/// <summary>Bulk API 1.0 over a mock server answering with captured XML and JSON job and batch infos and result files.</summary>
public class BulkV1ClientTests
{
    private const string Async = TestClients.Instance + "/services/async/66.0";
    private const string Upsert = "bulk-v1/TestUpsert.test_upsert_external_id_field__";
    private const string Select = "bulk-v1/TestSelect.test_select_similarity_select_and_insert_strategy_bulk__";

    private static HttpResponseMessage Body(string fixture, string contentType, HttpStatusCode status = HttpStatusCode.OK)
        => new(status) { Content = new StringContent(TestClients.Fixture(fixture), Encoding.UTF8, contentType) };

    [Fact]
    public async Task XmlJob_CreateAddCloseWaitResults_RealCaptures()
    {
        string? created = null;
        string? session = null;
        using var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Post, Async + "/job").Respond(async r =>
        {
            created = await r.Content!.ReadAsStringAsync();
            session = r.Headers.TryGetValues("X-SFDC-Session", out var v) ? v.Single() : null;
            return Body(Upsert + "01_POST_job_201.xml", "application/xml", HttpStatusCode.Created);
        });
        mock.When(HttpMethod.Post, Async + "/job/750P0000006HoS1IAK/batch").Respond(_ => Body(Upsert + "02_POST_job_750P0000006HoS1IAK_batch_201.xml", "application/xml", HttpStatusCode.Created));
        mock.When(HttpMethod.Post, Async + "/job/750P0000006HoS1IAK").Respond(_ => Body(Upsert + "03_POST_job_750P0000006HoS1IAK_200.xml", "application/xml"));
        mock.When(HttpMethod.Get, Async + "/job/750P0000006HoS1IAK").Respond(_ => Body(Upsert + "04_GET_job_750P0000006HoS1IAK_200.xml", "application/xml"));
        mock.When(HttpMethod.Get, Async + "/job/750P0000006HoS1IAK/batch").Respond(_ => Body(Upsert + "05_GET_job_750P0000006HoS1IAK_batch_200.xml", "application/xml"));
        mock.When(HttpMethod.Get, Async + "/job/750P0000006HoS1IAK/batch/751P0000007qkgoIAA/result").Respond(_ => Body(Upsert + "06_GET_job_750P0000006HoS1IAK_batch_751P0000007_200.csv", "text/csv"));
        using var client = TestClients.Create(mock);

        var job = await client.BulkV1.CreateJobAsync(new BulkV1JobRequest { Operation = "insert", Object = "Account" });
        Assert.Contains("<jobInfo xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\"><operation>insert</operation><object>Account</object><concurrencyMode>Parallel</concurrencyMode><contentType>CSV</contentType></jobInfo>", created, StringComparison.Ordinal);
        Assert.Equal(TestClients.Token, session);
        Assert.Equal(("750P0000006HoS1IAK", BulkJobState.Open, "CSV"), (job.Id, job.State, job.ContentType));

        var batch = await client.BulkV1.AddBatchAsync(job.Id, BulkV1ContentType.Csv, Encoding.UTF8.GetBytes("Name\nx\n"));
        Assert.Equal(("751P0000007qkgoIAA", BulkBatchState.Queued), (batch.Id, batch.State));
        var closed = await client.BulkV1.CloseJobAsync(job.Id);
        Assert.Equal((BulkJobState.Closed, 1, 1), (closed.State, closed.NumberBatchesInProgress, closed.NumberBatchesTotal));
        var batches = await client.BulkV1.WaitForBatchesAsync(job.Id);
        Assert.Equal(BulkBatchState.Completed, Assert.Single(batches).State);
        Assert.Equal(1, batches[0].NumberRecordsProcessed);
        var info = await client.BulkV1.GetJobAsync(job.Id);
        Assert.Equal((1, 1L, 273L > 0), (info.NumberBatchesCompleted, info.NumberRecordsProcessed, true));

        var result = Assert.Single(await client.BulkV1.GetBatchResultsAsync(job.Id, batch.Id));
        Assert.Equal(new BulkV1RowResult("001P000001vkheIIAQ", true, true, null), result);
    }

    [Fact]
    public async Task JsonQueryJob_RealCaptures_ResultIdsAndRecords()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Post, Async + "/job").Respond(_ => Body(Select + "01_POST_job_200.xml", "application/xml"));
        mock.When(HttpMethod.Post, Async + "/job/7509H0000016GUXQA2/batch").Respond(_ => Body(Select + "02_POST_job_7509H0000016GUXQA2_batch_201.json", "application/json", HttpStatusCode.Created));
        mock.When(HttpMethod.Get, Async + "/job/7509H0000016GUXQA2/batch/7519H000001XiCzQAK/result").Respond(_ => Body(Select + "04_GET_job_7509H0000016GUXQA2_batch_7519H000001_200.json", "application/json"));
        mock.When(HttpMethod.Get, Async + "/job/7509H0000016GUXQA2/batch/7519H000001XiCzQAK").Respond(_ => Body(Select + "03_GET_job_7509H0000016GUXQA2_batch_7519H000001_200.json", "application/json"));
        using var client = TestClients.Create(mock);

        var job = await client.BulkV1.CreateJobAsync(new BulkV1JobRequest { Operation = "query", Object = "Event", ContentType = BulkV1ContentType.Json });
        Assert.Equal("JSON", job.ContentType);
        var batch = await client.BulkV1.AddBatchAsync(job.Id, BulkV1ContentType.Json, Encoding.UTF8.GetBytes("SELECT Id FROM Event"));
        Assert.Equal((BulkBatchState.Queued, "7509H0000016GUXQA2"), (batch.State, batch.JobId));
        Assert.Equal(new DateTimeOffset(2024, 11, 21, 8, 31, 31, TimeSpan.Zero), batch.CreatedDate);
        var done = await client.BulkV1.GetBatchAsync(job.Id, batch.Id);
        Assert.Equal(BulkBatchState.Completed, done.State);
        Assert.Equal(["7529H000000xO6L"], await client.BulkV1.GetQueryResultIdsAsync(job.Id, batch.Id));
    }

    [Fact]
    public async Task WaitForBatches_NeverFinishing_IsATimeoutError_NotASilentReturn()
    {
        var time = new ManualTimeProvider();
        using var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Get, Async + "/job/750P0000006HoS1IAK/batch").Respond(_ =>
            new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(TestClients.Fixture(Upsert + "05_GET_job_750P0000006HoS1IAK_batch_200.xml").Replace("Completed", "InProgress", StringComparison.Ordinal), Encoding.UTF8, "application/xml") });
        using var client = TestClients.Create(mock, o => o.TimeProvider = time);

        var ex = await Assert.ThrowsAsync<BulkJobTimeoutException>(() => client.BulkV1.WaitForBatchesAsync("750P0000006HoS1IAK", pollInterval: TimeSpan.FromSeconds(10), timeout: TimeSpan.FromMinutes(1)));
        Assert.Equal("750P0000006HoS1IAK", ex.JobId);
        Assert.Contains("751P0000007qkgoIAA InProgress", ex.Message, StringComparison.Ordinal);
        Assert.Equal([10, 15, 15, 15], time.Delays.Select(d => d.TotalSeconds));
    }

    [Fact]
    public async Task XmlError_IsATypedExceptionWithTheBulkCode()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Get, Async + "/job/750X").Respond(_ => new HttpResponseMessage(HttpStatusCode.BadRequest)
        {
            Content = new StringContent("""<?xml version="1.0" encoding="UTF-8"?><error xmlns="http://www.force.com/2009/06/asyncapi/dataload"><exceptionCode>InvalidJob</exceptionCode><exceptionMessage>Invalid job id: 750X</exceptionMessage></error>""", Encoding.UTF8, "application/xml"),
        });
        using var client = TestClients.Create(mock);

        var ex = await Assert.ThrowsAnyAsync<SalesforceException>(() => client.BulkV1.GetJobAsync("750X"));
        Assert.Equal("InvalidJob", ex.ErrorCode);
        Assert.Contains("Invalid job id: 750X", ex.Message, StringComparison.Ordinal);
        Assert.Contains("GET /services/async/66.0/job/750X", ex.Message, StringComparison.Ordinal);
    }
}
