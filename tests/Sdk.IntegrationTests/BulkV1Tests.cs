using System.Text;
using Sdk.Emulator;
using Sdk.IntegrationTests.Org;
using Sdk.Runtime;
using Sdk.Runtime.Bulk;
using Sdk.Runtime.Errors;
using Task = System.Threading.Tasks.Task;

namespace Sdk.IntegrationTests;

/// <summary>Bulk API 1.0 against the local org: serial insert split into batches, PK-chunked query, JSON and XML jobs, errors.</summary>
public class BulkV1Tests
{
    private static BulkV1Options Fast() => new() { PollInterval = TimeSpan.FromMilliseconds(20), MaxPollInterval = TimeSpan.FromMilliseconds(100) };

    [Fact]
    public async Task SerialInsert_25000Contacts_SplitIntoBatches_EveryRowTiedBack()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var contacts = Enumerable.Range(0, 25_000).Select(i => new Contact { LastName = i % 1000 == 7 ? null : "V1 " + i, FirstName = "F" }).ToList();
        var options = Fast();
        options.ConcurrencyMode = BulkConcurrencyMode.Serial;

        var result = await client.BulkV1.IngestAsync(BulkOperation.Insert, Sources.Async(contacts), options: options);
        var listed = await client.BulkV1.IngestAsync(BulkOperation.Insert, contacts.Take(3).Select(c => new Contact { LastName = c.LastName ?? "List" }).ToList(), options: options);
        Assert.Equal(3, listed.Successful.Count); // the IEnumerable overload

        Assert.Equal(25_000, result.Successful.Count + result.Failed.Count + result.Unprocessed.Count);
        Assert.Equal(25, result.Failed.Count);
        Assert.All(result.Failed, f => Assert.Equal(7, f.Index % 1000));
        Assert.All(result.Failed, f => Assert.Equal("REQUIRED_FIELD_MISSING", f.Errors[0].ErrorCode));
        Assert.All(result.Successful, s => Assert.Equal(s.Id, contacts[s.Index].Id));
        var job = await client.BulkV1.GetJobAsync(result.Jobs[0].Id);
        Assert.Equal(BulkConcurrencyMode.Serial, job.ConcurrencyMode);
        Assert.Equal(BulkJobState.Closed, job.State);
        Assert.Equal(3, job.NumberBatchesTotal); // 10,000 + 10,000 + 5,000
        Assert.Equal(3, job.NumberBatchesCompleted);
        Assert.Equal(25_000, job.NumberRecordsProcessed);
        var stored = await client.SObjects.GetAsync<Contact>(contacts[24_999].Id!.Value);
        Assert.Equal("V1 24999", stored.LastName);
    }

    [Fact]
    public async Task Insert_SplitByBytes_EachBatchUnderTheLimitWithTheHeader_EveryRowOnce()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        // Two-byte characters in every row: the limit is on UTF-8 bytes, not characters.
        var contacts = Enumerable.Range(0, 600).Select(i => new Contact { LastName = $"Größe {i:D4}", FirstName = "Zoë" }).ToList();
        var options = Fast();
        options.MaxBatchBytes = 1024;

        var result = await client.BulkV1.IngestAsync(BulkOperation.Insert, contacts, options: options);

        Assert.Equal(600, result.Successful.Count);
        Assert.All(result.Successful, s => Assert.Equal(s.Id, contacts[s.Index].Id));
        var batches = await client.BulkV1.GetBatchesAsync(result.Jobs[0].Id);
        Assert.Equal(11, batches.Count); // 55 rows of 18 bytes (14 characters) after the 19 of the header fill 1,009 of 1,024 bytes

        using var http = new HttpClient { BaseAddress = org.InstanceUrl };
        http.DefaultRequestHeaders.Add("X-SFDC-Session", org.CreateAccessToken());
        var rows = new List<string>();
        foreach (var batch in batches)
        {
            var request = await http.GetByteArrayAsync($"/services/async/{await client.GetApiVersionAsync()}/job/{result.Jobs[0].Id}/batch/{batch.Id}/request");
            Assert.InRange(request.Length, 1, 1024);
            var lines = Encoding.UTF8.GetString(request).Split('\n')[..^1];
            Assert.Equal("LastName,FirstName", lines[0]);
            Assert.Equal(batch.NumberRecordsProcessed, lines.Length - 1);
            rows.AddRange(lines[1..]);
        }

        Assert.Equal(contacts.Select(c => $"{c.LastName},{c.FirstName}"), rows); // each row once, in order
    }

    [Theory]
    [InlineData(new[] { FaultKind.DropAfterProcessing }, -1)] // the batch arrived: its rows are read from the batch the job has
    [InlineData(new[] { FaultKind.DropBeforeProcessing }, 0)] // it did not: its rows are unprocessed, and the run goes on
    [InlineData(new[] { FaultKind.DropAfterProcessing, FaultKind.DropBeforeProcessing }, 10_000)] // the first arrived, the second not
    [InlineData(new[] { FaultKind.DropBeforeProcessing, FaultKind.DropAfterProcessing }, 0)] // the second arrived: found by its rows, not its place
    public async Task Insert_ConnectionLostAddingABatch_RowsTiedToTheBatchTheJobHas_OrUnprocessed(FaultKind[] faults, int unprocessedFrom)
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        foreach (var fault in faults)
        {
            org.Faults.Rules.Add(new FaultRule(fault, 1) { Method = "POST", PathContains = "/batch", MaxCount = 1 }); // the first batches, in turn
        }

        var contacts = Enumerable.Range(0, 30_000).Select(i => new Contact { LastName = "Lost " + i }).ToList();

        var result = await client.BulkV1.IngestAsync(BulkOperation.Insert, contacts, options: Fast());

        Assert.All(faults, f => Assert.Equal(1, org.Faults.Injected[f]));
        var unprocessed = unprocessedFrom < 0 ? 0 : 10_000;
        var successful = 30_000 - unprocessed;
        Assert.Equal((successful, 0, unprocessed), (result.Successful.Count, result.Failed.Count, result.Unprocessed.Count));
        Assert.All(result.Unprocessed, u =>
        {
            Assert.InRange(u.Index, unprocessedFrom, unprocessedFrom + 9_999);
            Assert.Equal("BATCH_NOT_ADDED", u.Errors.Single().ErrorCode);
            Assert.Null(u.Item.Id);
        });

        // The org holds exactly the rows reported successful, each under the id it was given back with.
        var stored = await OrgClient.ContactsByIdAsync(client);

        Assert.Equal(successful, stored.Count);
        Assert.All(result.Successful, s => Assert.Equal(contacts[s.Index].LastName, stored[s.Id!.Value.Value].LastName));
    }

    [Theory]
    [InlineData("/result", 10_000)] // the first batch's results: its rows only
    [InlineData("/batch", 30_000)] // the first poll of the job's batches: every batch's rows
    public async Task Insert_OutcomeUnreadable_ThoseRowsOutcomeUnknown_TheOthersReported(string path, int unknown)
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org, configure: o => o.RetryPolicy = Sdk.Runtime.Http.RetryPolicy.None());
        org.Faults.Rules.Add(new FaultRule(FaultKind.ServerError, 1) { Method = "GET", PathContains = path, MaxCount = 1 });
        var contacts = Enumerable.Range(0, 30_000).Select(i => new Contact { LastName = "Unread " + i }).ToList();

        var ex = await Assert.ThrowsAsync<BulkIngestInterruptedException<Contact>>(() => client.BulkV1.IngestAsync(BulkOperation.Insert, contacts, options: Fast()));

        Assert.Equal(1, org.Faults.Injected[FaultKind.ServerError]);
        Assert.IsAssignableFrom<SalesforceException>(ex.InnerException);
        var result = ex.Result;
        Assert.Equal((30_000 - unknown, 0), (result.Successful.Count, result.Failed.Count));
        Assert.Equal(Enumerable.Range(0, unknown), result.Unprocessed.Select(u => u.Index));
        Assert.All(result.Unprocessed, u =>
        {
            Assert.Equal("OUTCOME_UNKNOWN", u.Errors.Single().ErrorCode);
            Assert.Contains(result.Jobs[0].Id, u.Errors.Single().Message, StringComparison.Ordinal);
        });

        // Those rows were processed all the same: the org holds every row, the reported ones under their ids.
        await client.BulkV1.WaitForBatchesAsync(result.Jobs[0].Id, pollInterval: TimeSpan.FromMilliseconds(20));
        var stored = await OrgClient.ContactsByIdAsync(client);
        Assert.Equal(30_000, stored.Count);
        Assert.All(result.Successful, s => Assert.Equal(contacts[s.Index].LastName, stored[s.Id!.Value.Value].LastName));
    }

    [Fact]
    public async Task Insert_RecordsSettingDifferentFields_ShareABatch_UnderAWiderHeader_EachStoredAsSet()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var contacts = OrgClient.PhoneOrEmailContacts(1_000);

        var result = await client.BulkV1.IngestAsync(BulkOperation.Insert, contacts, options: Fast());

        Assert.Equal(1_000, result.Successful.Count);
        Assert.Equal(1, (await client.BulkV1.GetJobAsync(result.Jobs[0].Id)).NumberBatchesTotal); // not a batch for each change of fields
        await OrgClient.AssertStoredAsSentAsync(client, contacts, result.Successful);
    }

    /// <summary>
    /// Records naming their parent in turn by its id and by an external id (a file names a parent one way) fill a batch for
    /// each way at once in parallel mode: two batches, where before each change of naming posted the batch (a batch per
    /// record, 300 here). Serial mode keeps a batch per change, as it processes batches in the order they are added.
    /// </summary>
    [Theory]
    [InlineData(BulkConcurrencyMode.Parallel, 300, 2)]
    [InlineData(BulkConcurrencyMode.Serial, 30, 30)]
    public async Task Insert_RecordsNamingTheirParentInTurnByIdAndByExternalId_ParallelMode_FillOneBatchEach(BulkConcurrencyMode mode, int count, int batches)
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var (managers, contacts) = await OrgClient.ContactsNamingTheirManagerInTurnAsync(client, count);
        var options = Fast();
        options.ConcurrencyMode = mode;

        var result = await client.BulkV1.IngestAsync(BulkOperation.Insert, contacts, options: options);

        Assert.Equal(count, result.Successful.Count);
        Assert.Equal(batches, (await client.BulkV1.GetJobAsync(result.Jobs[0].Id)).NumberBatchesTotal);
        await OrgClient.AssertStoredWithTheirManagerAsync(client, managers, contacts, result.Successful);
    }

    /// <summary>The batches filled at once hold at most one batch's bytes together: the largest is posted when they would hold more.</summary>
    [Fact]
    public async Task Insert_BatchesFilledAtOnce_HoldAtMostOneBatchTogether()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var (_, contacts) = await OrgClient.ContactsNamingTheirManagerInTurnAsync(client, 200);
        var options = Fast();
        options.MaxBatchBytes = 2_000;

        var result = await client.BulkV1.IngestAsync(BulkOperation.Insert, contacts, options: options);

        Assert.Equal(200, result.Successful.Count);
        using var http = new HttpClient { BaseAddress = org.InstanceUrl };
        http.DefaultRequestHeaders.Add("X-SFDC-Session", org.CreateAccessToken());
        var rows = 0;
        foreach (var batch in await client.BulkV1.GetBatchesAsync(result.Jobs[0].Id))
        {
            // Each way's rows (about 5,000 bytes) in batches of at most 1,500 bytes, where without the bound on the two
            // together each way would fill batches of 2,000 on its own.
            var request = await http.GetByteArrayAsync($"/services/async/{await client.GetApiVersionAsync()}/job/{result.Jobs[0].Id}/batch/{batch.Id}/request");
            Assert.InRange(request.Length, 1, 1_500);
            rows += (int)batch.NumberRecordsProcessed;
        }

        Assert.Equal(200, rows);
    }

    [Fact]
    public async Task Insert_ARowTheWiderHeaderWouldPushPastTheBatchLimit_TheBatchIsPostedAsItIs()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        // 21 bytes of header and 1,000 of row fit 1,024; with Phone, 27 and 1,001 would not.
        var contacts = new[] { new Contact { LastName = "L", Description = new string('d', 997) }, new Contact { LastName = "S", Phone = "555-0100" } };
        var options = Fast();
        options.MaxBatchBytes = 1_024;

        var result = await client.BulkV1.IngestAsync(BulkOperation.Insert, contacts, options: options);

        Assert.Equal(2, result.Successful.Count);
        Assert.Equal(2, (await client.BulkV1.GetJobAsync(result.Jobs[0].Id)).NumberBatchesTotal);
        var stored = await OrgClient.ContactsByIdAsync(client);
        Assert.Equal(new string('d', 997), stored[contacts[0].Id!.Value.Value].Description);
        Assert.Equal("555-0100", stored[contacts[1].Id!.Value.Value].Phone);
    }

    [Fact]
    public async Task Insert_HeaderWidened_ARecordChangedAfterItWasTaken_IsStoredAsItWasTaken()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);

        var result = await client.BulkV1.IngestAsync(BulkOperation.Insert, Source(), options: Fast());

        Assert.Equal(2, result.Successful.Count);
        var stored = await OrgClient.ContactsByIdAsync(client);
        Assert.Equal([("One", "555-0100", null), ("Two", null, "two@example.org")], stored.Values.Select(c => (c.LastName, c.Phone, c.Email)).OrderBy(c => c.LastName, StringComparer.Ordinal));

        static async IAsyncEnumerable<Contact> Source()
        {
            var first = new Contact { LastName = "One", Phone = "555-0100" };
            yield return first;
            await Task.Yield();
            first.LastName = "Changed after it was taken"; // a caller reusing its records
            yield return new Contact { LastName = "Two", Email = "two@example.org" }; // a new field: the batch is written again
        }
    }

    [Fact]
    public async Task Insert_SourceFailsMidway_TheErrorCarriesEveryRowTaken_TheBatchesAddedRanToTheirEnd()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var contacts = Enumerable.Range(0, 2_500).Select(i => new Contact { LastName = "Source " + i }).ToList();

        var options = Fast();
        options.BatchSize = 1_000;
        var ex = await Assert.ThrowsAsync<BulkIngestInterruptedException<Contact>>(() => client.BulkV1.IngestAsync(BulkOperation.Insert, Sources.Async(contacts, new InvalidOperationException("the source broke")), options: options));

        Assert.Equal("the source broke", Assert.IsType<InvalidOperationException>(ex.InnerException).Message);
        var result = ex.Result;
        Assert.Equal((2_500, 2_000, 0, 500), (result.InputCount, result.Successful.Count, result.Failed.Count, result.Unprocessed.Count));
        Assert.All(result.Unprocessed, u =>
        {
            Assert.InRange(u.Index, 2_000, 2_499); // the batch being filled
            Assert.Equal("NOT_SENT", u.Errors.Single().ErrorCode);
        });
        Assert.Equal(2_000, await client.Query<Contact>().CountAsync());
        Assert.All(result.Successful, s => Assert.Equal(s.Id, contacts[s.Index].Id));
        Assert.Equal(BulkJobState.Closed, (await client.BulkV1.GetJobAsync(result.Jobs[0].Id)).State);
    }

    [Fact]
    public async Task Upsert_ByExternalId_CreatesThenUpdates_AndDeleteById()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var first = Enumerable.Range(0, 300).Select(i => new Invoice { External_Id = $"V1-{i:D4}", Name = $"Invoice {i}", Amount = i }).ToList();
        var created = (await client.BulkV1.IngestAsync(BulkOperation.Upsert, first, "External_Id__c", Fast())).ThrowIfFailed();
        Assert.All(created.Successful, s => Assert.True(s.Created));
        Assert.Equal(BulkJobState.Closed, (await client.BulkV1.GetJobAsync(created.Jobs[0].Id)).State);

        // The same keys with new amounts (no name: left as it was), and 100 new keys, which fail for want of the required name.
        var second = Enumerable.Range(0, 400).Select(i => new Invoice { External_Id = $"V1-{i:D4}", Amount = i + 0.5m }).ToList();
        var upserted = await client.BulkV1.IngestAsync(BulkOperation.Upsert, second, "External_Id__c", Fast());

        Assert.Equal((300, 100, 0), (upserted.Successful.Count, upserted.Failed.Count, upserted.Unprocessed.Count));
        Assert.All(upserted.Successful, s => Assert.False(s.Created));
        Assert.Equal(first.Select(f => f.Id), second.Take(300).Select(s => s.Id)); // updated in place, ids set from the results
        Assert.All(upserted.Failed, f => Assert.Equal(("REQUIRED_FIELD_MISSING", true), (f.Errors[0].ErrorCode, f.Index >= 300)));
        var one = await client.Query<Invoice>().Where(i => i.External_Id == "V1-0042").FirstAsync();
        Assert.Equal((42.5m, "Invoice 42"), (one.Amount, one.Name));

        var deleted = (await client.BulkV1.IngestAsync(BulkOperation.Delete, second.Take(10).Select(i => new Invoice { Id = i.Id }).ToList(), options: Fast())).ThrowIfFailed();
        Assert.Equal(10, deleted.Successful.Count);
        Assert.Equal(290, await client.Query<Invoice>().CountAsync());
    }

    [Fact]
    public async Task PkChunkedQuery_ReadsEveryChunkBatch_SkipsTheOriginal()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var load = await client.Bulk.InsertAsync(Enumerable.Range(0, 23_456).Select(i => new Invoice { Name = "PK " + i, External_Id = $"PK-{i:D5}" }),
            new BulkIngestOptions { PollInterval = TimeSpan.FromMilliseconds(20) });
        Assert.True(load.IsSuccess);
        var options = Fast();
        options.PkChunking = new BulkPkChunking(ChunkSize: 5_000);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var invoice in client.BulkV1.QueryAsync<Invoice>("SELECT Id, Name, External_Id__c FROM Invoice__c", options))
        {
            Assert.True(seen.Add(invoice.External_Id!), "a row came twice");
            Assert.Equal("PK " + int.Parse(invoice.External_Id![3..], System.Globalization.CultureInfo.InvariantCulture), invoice.Name);
        }

        Assert.Equal(23_456, seen.Count);

        // The same job seen batch by batch: the original batch is Not Processed, five chunk batches hold the rows.
        var job = await client.BulkV1.CreateJobAsync(new BulkV1JobRequest { Operation = "query", Object = "Invoice__c", PkChunking = new BulkPkChunking(5_000) });
        await client.BulkV1.AddBatchAsync(job.Id, BulkV1ContentType.Csv, Encoding.UTF8.GetBytes("SELECT Id FROM Invoice__c"));
        var batches = await client.BulkV1.WaitForBatchesAsync(job.Id, pollInterval: TimeSpan.FromMilliseconds(20));
        Assert.Equal(6, batches.Count);
        Assert.Equal(BulkBatchState.NotProcessed, batches[0].State);
        Assert.Equal([5_000, 5_000, 5_000, 5_000, 3_456], batches.Skip(1).Select(b => b.NumberRecordsProcessed));
    }

    [Theory]
    [InlineData(BulkV1ContentType.Json, """[{"Name":"Json One"},{"Name":"Json Two","NumberOfEmployees":5},{"NumberOfEmployees":1}]""")]
    [InlineData(BulkV1ContentType.Xml, """<?xml version="1.0" encoding="UTF-8"?><sObjects xmlns="http://www.force.com/2009/06/asyncapi/dataload"><sObject><Name>Json One</Name></sObject><sObject><Name>Json Two</Name><NumberOfEmployees>5</NumberOfEmployees></sObject><sObject><NumberOfEmployees>1</NumberOfEmployees></sObject></sObjects>""")]
    [InlineData(BulkV1ContentType.Csv, "Name,NumberOfEmployees\nJson One,\nJson Two,5\n,1\n")]
    public async Task LowLevelJob_EachContentType_ResultsInRowOrder(BulkV1ContentType type, string batch)
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var job = await client.BulkV1.CreateJobAsync(new BulkV1JobRequest { Operation = "insert", Object = "Account", ContentType = type });
        Assert.Equal(BulkJobState.Open, job.State);
        Assert.Equal(type.ToString().ToUpperInvariant(), job.ContentType);

        var added = await client.BulkV1.AddBatchAsync(job.Id, type, Encoding.UTF8.GetBytes(batch));
        Assert.Equal(job.Id, added.JobId);
        var closed = await client.BulkV1.CloseJobAsync(job.Id);
        Assert.Equal(BulkJobState.Closed, closed.State);
        var done = await client.BulkV1.WaitForBatchesAsync(job.Id, pollInterval: TimeSpan.FromMilliseconds(20));
        Assert.Equal(BulkBatchState.Completed, Assert.Single(done).State);

        var results = await client.BulkV1.GetBatchResultsAsync(job.Id, added.Id);
        Assert.Equal(3, results.Count);
        Assert.True(results[0].Success && results[0].Created && results[0].Id is { Length: 18 });
        Assert.True(results[1].Success);
        Assert.False(results[2].Success);
        Assert.StartsWith("REQUIRED_FIELD_MISSING:", results[2].Error, StringComparison.Ordinal);
        var two = await client.SObjects.GetAsync<Account>(Sdk.Runtime.Records.SalesforceId.Parse(results[1].Id!));
        Assert.Equal(5, two.NumberOfEmployees);
    }

    /// <summary>Answers every query result file with CSV whose second row's amount is not a number.</summary>
    private sealed class BadResultFiles() : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.Method == HttpMethod.Get && System.Text.RegularExpressions.Regex.IsMatch(request.RequestUri!.AbsolutePath, "/batch/[^/]+/result/[^/]+$"))
            {
                response.Content = new StringContent("Name,Amount__c\nFirst,1.5\nSecond,lots\n", Encoding.UTF8, "text/csv");
            }

            return response;
        }
    }

    [Fact]
    public async Task Query_ResultValueThatDoesNotFit_IsAMalformedAnswerNamingTheResultFile()
    {
        await using var org = await LocalOrg.StartAsync();
        var credentials = org.Credentials;
        using var http = new HttpClient(new BadResultFiles());
        await using var client = new SalesforceClient(http, new SalesforceClientOptions
        {
            Authenticator = new Sdk.Runtime.Auth.PasswordAuthenticator(credentials.ClientId, credentials.ClientSecret, credentials.Username, credentials.Password, org.LoginUrl),
        });
        (await client.Bulk.InsertAsync([new Invoice { Name = "Only" }])).ThrowIfFailed();
        var read = new List<string?>();

        var ex = await Assert.ThrowsAsync<MalformedResponseException>(async () =>
        {
            await foreach (var invoice in client.BulkV1.QueryAsync<Invoice>("SELECT Name, Amount__c FROM Invoice__c", Fast()))
            {
                read.Add(invoice.Name);
            }
        });

        Assert.Equal(["First"], read);
        Assert.Matches("^The answer to GET /services/async/[0-9.]+/job/750[A-Za-z0-9]+/batch/751[A-Za-z0-9]+/result/752[A-Za-z0-9]+ could not be read: ", ex.Message);
        Assert.Contains("Amount__c", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, Assert.IsType<Sdk.Runtime.Bulk.Csv.CsvFormatException>(ex.InnerException).Record);
    }

    [Fact]
    public async Task Errors_AreBulkExceptionCodes()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var unknown = await Assert.ThrowsAnyAsync<SalesforceException>(() => client.BulkV1.GetJobAsync("750000000000000AAA"));
        Assert.Equal("InvalidJob", unknown.ErrorCode);
        var badObject = await Assert.ThrowsAnyAsync<SalesforceException>(() => client.BulkV1.CreateJobAsync(new BulkV1JobRequest { Operation = "insert", Object = "Nope__c" }));
        Assert.Equal("InvalidJob", badObject.ErrorCode);
        Assert.Contains("Nope__c", badObject.Message, StringComparison.Ordinal);

        var job = await client.BulkV1.CreateJobAsync(new BulkV1JobRequest { Operation = "insert", Object = "Account" });
        await client.BulkV1.CloseJobAsync(job.Id);
        var closed = await Assert.ThrowsAnyAsync<SalesforceException>(() => client.BulkV1.AddBatchAsync(job.Id, BulkV1ContentType.Csv, Encoding.UTF8.GetBytes("Name\nx\n")));
        Assert.Equal("InvalidJobState", closed.ErrorCode);

        var tooMany = await client.BulkV1.CreateJobAsync(new BulkV1JobRequest { Operation = "insert", Object = "Account" });
        var big = await client.BulkV1.AddBatchAsync(tooMany.Id, BulkV1ContentType.Csv, Encoding.UTF8.GetBytes("Name\n" + string.Concat(Enumerable.Range(0, 10_001).Select(i => $"A{i}\n"))));
        var failed = Assert.Single(await client.BulkV1.WaitForBatchesAsync(tooMany.Id, [big.Id], TimeSpan.FromMilliseconds(20)));
        Assert.Equal(BulkBatchState.Failed, failed.State);
        Assert.Contains("10000", failed.StateMessage, StringComparison.Ordinal);
        Assert.Equal(0, await client.Query<Account>().Where(a => a.Name == "A1").CountAsync());
    }

    [Fact]
    public async Task ExpiredSession_MidJob_TheClientSignsInAgainAndTheJobGoesOn()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var job = await client.BulkV1.CreateJobAsync(new BulkV1JobRequest { Operation = "insert", Object = "Account" });

        // Every session ends (a timeout, a password change): Bulk API 1.0 answers 400 InvalidSessionId, not 401.
        org.ExpireSessions();
        var batch = await client.BulkV1.AddBatchAsync(job.Id, BulkV1ContentType.Csv, Encoding.UTF8.GetBytes("Name\nAfter expiry\n"));
        await client.BulkV1.CloseJobAsync(job.Id);
        var done = Assert.Single(await client.BulkV1.WaitForBatchesAsync(job.Id, [batch.Id], TimeSpan.FromMilliseconds(20)));

        Assert.Equal(BulkBatchState.Completed, done.State);
        Assert.Equal(1, await client.Query<Account>().Where(a => a.Name == "After expiry").CountAsync());
    }
}
