using RichardSzalay.MockHttp;
using Sdk.Generator.OutputTests.Org;
using Sdk.Runtime.Bulk;
using Sdk.Runtime.Bulk.Csv;
using Sdk.Runtime.Errors;
using Task = System.Threading.Tasks.Task;

namespace Sdk.Generator.OutputTests;

/// <summary>
/// Typed bulk runs when the server's answers go wrong: a result CSV that cannot be read into the typed records is a malformed
/// answer naming the request, and a Bulk 1.0 job whose closing answer is lost still has its rows read.
/// </summary>
public class BulkAnswerTests
{
    private const string JobId = "7508Z00000lTqQCQA0";
    private const string Results = TestClient.Data + $"/jobs/query/{JobId}/results";

    /// <summary>The second row's employee count is not a number.</summary>
    private const string BadValue = "Id,Name,NumberOfEmployees\n001Da00000xnAk6IAE,Acme,12\n001Da00000xnAk7IAE,Globex,twelve\n";

    private static MockHttpMessageHandler Server(string page, bool resultPages = false)
    {
        var mock = new MockHttpMessageHandler();
        var info = TestClient.Fixture("bulk-v2/get-info-7508z00000lTqQCQA0.200.json");
        mock.When(HttpMethod.Post, TestClient.Data + "/jobs/query").Respond("application/json", info);
        mock.When(HttpMethod.Get, TestClient.Data + $"/jobs/query/{JobId}").Respond("application/json", info);
        mock.When(HttpMethod.Get, TestClient.Data + $"/jobs/query/{JobId}/resultPages").Respond("application/json",
            $$"""{"resultPages":[{"resultUrl":"/services/data/v66.0/jobs/query/{{JobId}}/results"}],"done":true}""");
        mock.When(HttpMethod.Get, Results).Respond("text/csv", page);
        return mock;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)] // pages downloaded in parallel through resultPages
    public async Task ValueThatDoesNotFit_NamesTheRequest_TheRecordAndTheColumn(int parallelPages)
    {
        using var client = TestClient.Create(Server(BadValue));
        var read = new List<Account>();

        var ex = await Assert.ThrowsAsync<MalformedResponseException>(async () =>
        {
            await foreach (var account in client.Bulk.QueryAsync<Account>("SELECT Id, Name, NumberOfEmployees FROM Account", new BulkQueryOptions { ParallelPages = parallelPages }))
            {
                read.Add(account);
            }
        });

        Assert.Equal("Acme", Assert.Single(read).Name); // the rows before it were read
        Assert.Contains($"GET /services/data/v66.0/jobs/query/{JobId}/results", ex.Message, StringComparison.Ordinal);
        Assert.Contains("NumberOfEmployees", ex.Message, StringComparison.Ordinal);
        Assert.Equal("GET", ex.RequestMethod);
        Assert.Equal("MALFORMED_RESPONSE", ex.ErrorCode);
        Assert.Equal(3, Assert.IsType<CsvFormatException>(ex.InnerException).Record);
    }

    [Fact]
    public async Task UnclosedQuote_NamesTheRequest_AndTheLine()
    {
        using var client = TestClient.Create(Server("Id,Name\n001Da00000xnAk6IAE,\"Acme\n"));

        var ex = await Assert.ThrowsAsync<MalformedResponseException>(async () =>
        {
            await foreach (var account in client.Bulk.QueryAsync<Account>("SELECT Id, Name FROM Account"))
            {
                Assert.Fail($"no record can be read, got {account.Name}");
            }
        });

        Assert.Contains($"GET /services/data/v66.0/jobs/query/{JobId}/results", ex.Message, StringComparison.Ordinal);
        Assert.Contains("never closed", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, Assert.IsType<CsvFormatException>(ex.InnerException).Line);
    }

    [Fact]
    public async Task BulkV1Insert_ClosingAnswerLost_RowsStillReadFromTheirBatch()
    {
        const string Capture = "bulk-v1/TestUpsert.test_upsert_external_id_field__";
        const string Async = TestClient.Instance + "/services/async/66.0/job";
        var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Post, Async).Respond("application/xml", TestClient.Fixture(Capture + "01_POST_job_201.xml"));
        mock.When(HttpMethod.Post, Async + "/750P0000006HoS1IAK/batch").Respond("application/xml", TestClient.Fixture(Capture + "02_POST_job_750P0000006HoS1IAK_batch_201.xml"));
        mock.When(HttpMethod.Post, Async + "/750P0000006HoS1IAK").Throw(new HttpRequestException("The connection was closed before the answer."));
        mock.When(HttpMethod.Get, Async + "/750P0000006HoS1IAK/batch").Respond("application/xml", TestClient.Fixture(Capture + "05_GET_job_750P0000006HoS1IAK_batch_200.xml"));
        mock.When(HttpMethod.Get, Async + "/750P0000006HoS1IAK/batch/751P0000007qkgoIAA/result").Respond("text/csv", TestClient.Fixture(Capture + "06_GET_job_750P0000006HoS1IAK_batch_751P0000007_200.csv"));
        using var client = TestClient.Create(mock);
        var account = new Account { Name = "Acme" };

        var result = await client.BulkV1.IngestAsync(BulkOperation.Insert, [account]);

        var row = Assert.Single(result.Successful);
        Assert.Equal("001P000001vkheIIAQ", row.Id?.Value);
        Assert.Equal(row.Id, account.Id);
        Assert.Empty(result.Unprocessed);
    }

    [Fact]
    public async Task BulkV1Insert_ABatchRunsPastTheTimeout_TheFinishedOneIsReported_TheOthersRowsOutcomeUnknown()
    {
        const string Capture = "bulk-v1/TestUpsert.test_upsert_external_id_field__";
        const string Async = TestClient.Instance + "/services/async/66.0/job";
        const string Late = "751P0000007qkgpIAA";
        var added = 0;
        var batchInfo = TestClient.Fixture(Capture + "02_POST_job_750P0000006HoS1IAK_batch_201.xml");
        var batches = TestClient.Fixture(Capture + "05_GET_job_750P0000006HoS1IAK_batch_200.xml");
        var first = batches[batches.IndexOf("<batchInfo>", StringComparison.Ordinal)..(batches.IndexOf("</batchInfo>", StringComparison.Ordinal) + "</batchInfo>".Length)];
        var bothListed = batches.Replace(first, first + first.Replace("751P0000007qkgoIAA", Late, StringComparison.Ordinal).Replace("Completed", "InProgress", StringComparison.Ordinal), StringComparison.Ordinal);
        var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Post, Async).Respond("application/xml", TestClient.Fixture(Capture + "01_POST_job_201.xml"));
        mock.When(HttpMethod.Post, Async + "/750P0000006HoS1IAK/batch").Respond(_ => new HttpResponseMessage(System.Net.HttpStatusCode.Created)
        {
            Content = new StringContent(Interlocked.Increment(ref added) == 1 ? batchInfo : batchInfo.Replace("751P0000007qkgoIAA", Late, StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/xml"),
        });
        mock.When(HttpMethod.Post, Async + "/750P0000006HoS1IAK").Respond("application/xml", TestClient.Fixture(Capture + "03_POST_job_750P0000006HoS1IAK_200.xml"));
        mock.When(HttpMethod.Get, Async + "/750P0000006HoS1IAK/batch").Respond("application/xml", bothListed); // the second never finishes
        mock.When(HttpMethod.Get, Async + "/750P0000006HoS1IAK/batch/751P0000007qkgoIAA/result").Respond("text/csv", TestClient.Fixture(Capture + "06_GET_job_750P0000006HoS1IAK_batch_751P0000007_200.csv"));
        using var client = TestClient.Create(mock);
        var accounts = new[] { new Account { Name = "Acme" }, new Account { Name = "Globex" } };

        var ex = await Assert.ThrowsAsync<BulkIngestInterruptedException<Account>>(() => client.BulkV1.IngestAsync(BulkOperation.Insert, accounts, options: new BulkV1Options
        {
            BatchSize = 1, PollInterval = TimeSpan.FromMilliseconds(5), MaxPollInterval = TimeSpan.FromMilliseconds(10), Timeout = TimeSpan.FromMilliseconds(100),
        }));

        Assert.Equal(2, added);
        Assert.Contains(Late + " InProgress", Assert.IsType<BulkJobTimeoutException>(ex.InnerException).Message, StringComparison.Ordinal);
        var done = Assert.Single(ex.Result.Successful);
        Assert.Equal((0, "001P000001vkheIIAQ"), (done.Index, done.Id?.Value));
        Assert.Equal("001P000001vkheIIAQ", accounts[0].Id?.Value);
        var unknown = Assert.Single(ex.Result.Unprocessed);
        Assert.Equal(1, unknown.Index);
        Assert.Null(accounts[1].Id);
        Assert.Equal("OUTCOME_UNKNOWN", unknown.Errors.Single().ErrorCode);
        Assert.StartsWith($"The outcome of batch {Late} (InProgress when last seen) could not be read (Bulk API 1.0 job", unknown.Errors.Single().Message, StringComparison.Ordinal);
        Assert.Contains("check job 750P0000006HoS1IAK", unknown.Errors.Single().Message, StringComparison.Ordinal);
    }

    /// <summary>A Bulk 2.0 ingest server for one job (the captured job info) whose successful results are given; the uploads.</summary>
    private static (MockHttpMessageHandler Mock, List<string> Uploads) IngestServer(string successful)
    {
        const string Ingest = TestClient.Data + "/jobs/ingest";
        var uploads = new List<string>();
        var info = TestClient.Fixture("bulk-v2/get-info-7508z00000lSXvxQAG.200.json");
        var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Post, Ingest).Respond("application/json", info.Replace("\"JobComplete\"", "\"Open\"", StringComparison.Ordinal));
        mock.When(HttpMethod.Put, Ingest + "/7508Z00000lSXvxQAG/batches").Respond(async r =>
        {
            uploads.Add(await r.Content!.ReadAsStringAsync());
            return new HttpResponseMessage(System.Net.HttpStatusCode.Created);
        });
        mock.When(HttpMethod.Patch, Ingest + "/7508Z00000lSXvxQAG").Respond("application/json", info.Replace("\"JobComplete\"", "\"UploadComplete\"", StringComparison.Ordinal));
        mock.When(HttpMethod.Get, Ingest + "/7508Z00000lSXvxQAG").Respond("application/json", info);
        mock.When(HttpMethod.Get, Ingest + "/7508Z00000lSXvxQAG/successfulResults/").Respond("text/csv", successful);
        mock.When(HttpMethod.Get, Ingest + "/7508Z00000lSXvxQAG/failedResults/").Respond("text/csv", "sf__Id,sf__Error,Name\n");
        mock.When(HttpMethod.Get, Ingest + "/7508Z00000lSXvxQAG/unprocessedrecords/").Respond("text/csv", "Name\n");
        return (mock, uploads);
    }

    [Fact]
    public async Task Insert_RecordsSettingOtherFields_ShareAWiderHeader_AParentNamedOtherwiseIsNotDropped()
    {
        var (mock, uploads) = IngestServer("sf__Id,sf__Created,Name,Amount__c,Account__r.Name\n001000000000004AAA,true,Four,4,Acme\n");
        using var client = TestClient.Create(mock);
        var invoices = new[]
        {
            new Invoice { Name = "One", Account_r = new Account { AccountNumber = "A-1" } },
            new Invoice { Name = "Two", Amount = 2m },
            new Invoice { Name = "Three", Account = Sdk.Runtime.Records.SalesforceId.Parse("001000000000009") }, // the same parent by its id
            new Invoice { Name = "Four", Amount = 4m, Account_r = new Account { Name = "Acme" } }, // by another field
        };

        var result = await client.Bulk.InsertAsync(invoices, new BulkIngestOptions { PollInterval = TimeSpan.FromMilliseconds(1) });

        // One header per way of naming the parent (a file names it one way), each widened for the other fields.
        Assert.Equal(
        [
            "Name,Account__c\nThree,001000000000009AAA\n",
            "Name,Account__r.AccountNumber,Amount__c\nOne,A-1,\nTwo,,2\n",
            "Name,Amount__c,Account__r.Name\nFour,4,Acme\n",
        ], uploads.Order(StringComparer.Ordinal)); // the jobs run at once: uploads in any order
        Assert.Equal("001000000000004AAA", result.Successful.Single(s => s.Index == 3).Id?.Value); // tied by the values under its header
        Assert.Equal("001000000000004AAA", invoices[3].Id?.Value);
    }

    /// <summary>
    /// Records naming their parent in four ways, in turn, fill a job for each way at once (before: a job per record, 13);
    /// a fifth way, with four jobs filling, seals one of them to start its own.
    /// </summary>
    [Fact]
    public async Task Insert_RecordsNamingAParentInFourWaysInTurn_FillAJobEachAtOnce_AFifthWayStartsOne()
    {
        var (mock, uploads) = IngestServer("sf__Id,sf__Created,Name\n");
        using var client = TestClient.Create(mock);
        Func<int, Invoice>[] ways =
        [
            i => new Invoice { Name = "N" + i, Account_r = new Account { AccountNumber = "A-1" } },
            i => new Invoice { Name = "N" + i, Account_r = new Account { Name = "Acme" } },
            i => new Invoice { Name = "N" + i, Account_r = new Account { Site = "HQ" } },
            i => new Invoice { Name = "N" + i, Account = Sdk.Runtime.Records.SalesforceId.Parse("001000000000009") },
        ];
        var invoices = Enumerable.Range(0, 12).Select(i => ways[i % 4](i)).Append(new Invoice { Name = "N12", Account_r = new Account { Phone = "555" } }).ToList();

        await client.Bulk.InsertAsync(invoices, new BulkIngestOptions { PollInterval = TimeSpan.FromMilliseconds(1), MaxConcurrentJobs = 1 });

        Assert.Equal(
        [
            "Name,Account__c\nN3,001000000000009AAA\nN7,001000000000009AAA\nN11,001000000000009AAA\n",
            "Name,Account__r.AccountNumber\nN0,A-1\nN4,A-1\nN8,A-1\n",
            "Name,Account__r.Name\nN1,Acme\nN5,Acme\nN9,Acme\n",
            "Name,Account__r.Phone\nN12,555\n",
            "Name,Account__r.Site\nN2,HQ\nN6,HQ\nN10,HQ\n",
        ], uploads.Order(StringComparer.Ordinal));
    }

    /// <summary>The jobs filled at once hold at most one upload's bytes together: the largest is sent when they would hold more.</summary>
    [Fact]
    public async Task Insert_JobsFilledAtOnce_HoldAtMostOneUploadTogether()
    {
        var (mock, uploads) = IngestServer("sf__Id,sf__Created,Name\n");
        using var client = TestClient.Create(mock);
        var invoices = Enumerable.Range(0, 160).Select(i => i % 2 == 0
            ? new Invoice { Name = $"Invoice number {i:D4} of the run", Account_r = new Account { AccountNumber = "A-1" } }
            : new Invoice { Name = $"Invoice number {i:D4} of the run", Account = Sdk.Runtime.Records.SalesforceId.Parse("001000000000009") }).ToList();

        await client.Bulk.InsertAsync(invoices, new BulkIngestOptions { PollInterval = TimeSpan.FromMilliseconds(1), MaxConcurrentJobs = 1, MaxUploadBytes = 2_000 });

        // Every row sent once; each way's rows (2,800 bytes) in jobs of at most 1,500 bytes, where without the bound on the
        // two together each way would fill jobs of 2,000 on its own.
        Assert.Equal(160, uploads.Sum(u => u.Count(c => c == '\n') - 1));
        Assert.All(uploads, u => Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(u), 1, 1_500));
    }

    [Fact]
    public async Task Insert_HeaderWidened_ARecordChangedAfterItWasTaken_IsSentAsItWasTaken()
    {
        var (mock, uploads) = IngestServer("sf__Id,sf__Created,Name,Amount__c\n");
        using var client = TestClient.Create(mock);

        await client.Bulk.IngestAsync(BulkOperation.Insert, Source(), options: new BulkIngestOptions { PollInterval = TimeSpan.FromMilliseconds(1) });

        Assert.Equal("Name,Amount__c\nOne,\nTwo,2\n", Assert.Single(uploads));

        static async IAsyncEnumerable<Invoice> Source()
        {
            var first = new Invoice { Name = "One" };
            yield return first;
            await Task.Yield();
            first.Name = "Changed after it was taken"; // a caller reusing its records
            yield return new Invoice { Name = "Two", Amount = 2m }; // a new field: the rows already taken are written again
        }
    }

    [Fact]
    public async Task Insert_ResultRowsWhoseValuesChanged_NoIdIsGuessedOntoARecord()
    {
        var (mock, _) = IngestServer("sf__Id,sf__Created,Name\n001000000000001AAA,true,ACME\n001000000000002AAA,true,Beta\n001000000000003AAA,true,GLOBEX\n");
        using var client = TestClient.Create(mock);
        var accounts = new[] { new Account { Name = "Acme" }, new Account { Name = "Beta" }, new Account { Name = "Globex" } };

        var result = await client.Bulk.InsertAsync(accounts, new BulkIngestOptions { PollInterval = TimeSpan.FromMilliseconds(1) });

        Assert.Equal(1, Assert.Single(result.Successful).Index);
        Assert.Equal((null, "001000000000002AAA", null), (accounts[0].Id?.Value, accounts[1].Id?.Value, accounts[2].Id?.Value));
        Assert.True(accounts[0].HasChanges && accounts[2].HasChanges); // not accepted: their outcome is unknown
        Assert.All(result.Unprocessed, u => Assert.Equal("NOT_MATCHED", u.Errors.Single().ErrorCode));
    }
}
