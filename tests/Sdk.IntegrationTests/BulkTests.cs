using System.Text;
using Sdk.Emulator;
using Sdk.IntegrationTests.Org;
using Sdk.Runtime;
using Sdk.Runtime.Bulk;
using Sdk.Runtime.Bulk.Csv;
using Sdk.Runtime.Errors;
using Task = System.Threading.Tasks.Task;

namespace Sdk.IntegrationTests;

/// <summary>Bulk API 2.0 against the local org: every row accounted for, jobs split by size, streamed queries.</summary>
[Collection(MemoryMeasured.Name)]
public class BulkTests
{
    private static BulkIngestOptions Fast(long maxUploadBytes = BulkIngestOptions.MaxUploadBytesLimit) => new()
    {
        MaxUploadBytes = maxUploadBytes,
        MaxConcurrentJobs = 2,
        PollInterval = TimeSpan.FromMilliseconds(20),
        MaxPollInterval = TimeSpan.FromMilliseconds(100),
    };

    private sealed class Recorder : IProgress<BulkJobProgress>
    {
        public List<BulkJobProgress> Reports { get; } = [];

        public void Report(BulkJobProgress value)
        {
            lock (Reports)
            {
                Reports.Add(value);
            }
        }
    }

    [Fact]
    public async Task Insert_100000Contacts_1PercentInvalid_EveryRowAccountedFor()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        const int Count = 100_000;
        var contacts = Enumerable.Range(0, Count)
            .Select(i => new Contact { FirstName = "F" + i, LastName = i % 100 == 0 ? null : "Person " + i, Email = $"p{i}@example.com" })
            .ToList();
        var progress = new Recorder();
        var options = Fast(maxUploadBytes: 1_000_000);
        options.Progress = progress;

        var result = await client.Bulk.InsertAsync(contacts, options);

        Assert.Equal(Count, result.InputCount);
        Assert.Equal(Count, result.Successful.Count + result.Failed.Count + result.Unprocessed.Count);
        Assert.Equal(1_000, result.Failed.Count);
        Assert.Empty(result.Unprocessed);
        Assert.True(result.Jobs.Count >= 4, $"1 MB uploads should split ~4 MB of CSV into several jobs, got {result.Jobs.Count}");
        Assert.All(result.Jobs, j => Assert.Equal(BulkJobState.JobComplete, j.State));

        // Each failed row is the one that was invalid, carries its error, and is tied to its input record.
        Assert.All(result.Failed, f =>
        {
            Assert.Equal(0, f.Index % 100);
            Assert.Same(contacts[f.Index], f.Item);
            Assert.Equal("REQUIRED_FIELD_MISSING", f.Errors[0].ErrorCode);
            Assert.Equal(["LastName"], f.Errors[0].Fields);
            Assert.Null(f.Item.Id);
        });

        // Successful rows got their ids, on the right records.
        Assert.All(result.Successful, s =>
        {
            Assert.True(s.Created);
            Assert.Equal(s.Id, contacts[s.Index].Id);
            Assert.False(contacts[s.Index].HasChanges);
        });
        // What the org holds is each valid row once, under the id its row was given back with: none lost or made up where
        // the input was split into jobs.
        var stored = await OrgClient.ContactsByIdAsync(client);

        Assert.Equal(99_000, stored.Count);
        Assert.All(result.Successful, s => Assert.Equal(contacts[s.Index].Email, stored[s.Id!.Value.Value].Email));

        Assert.NotEmpty(progress.Reports);
        Assert.Contains(progress.Reports, p => p.State == BulkJobState.JobComplete);
        Assert.Equal(Count, progress.Reports.Max(p => p.RecordsProcessed));
        Assert.Equal(1_000, progress.Reports.Max(p => p.RecordsFailed));
    }

    [Theory]
    [InlineData(CsvDelimiter.Comma, CsvLineEnding.Lf)]
    [InlineData(CsvDelimiter.Pipe, CsvLineEnding.CrLf)]
    [InlineData(CsvDelimiter.Semicolon, CsvLineEnding.Lf)]
    public async Task Insert_AwkwardValues_AnyDelimiterAndLineEnding_StoredAsSent_EachTiedToItsRecord(CsvDelimiter delimiter, CsvLineEnding lineEnding)
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        string[] awkward = ["two\nlines", "carriage\r\nreturn", "\"quoted\" word", "comma, pipe | semicolon;", " spaces around ", "Zoë Größe 日本", "tab\there", "#N/A text"];
        var contacts = Enumerable.Range(0, 400)
            .Select(i => new Contact { LastName = $"{awkward[i % awkward.Length]} {i}", Title = i % 3 == 0 ? null : awkward[(i + 3) % awkward.Length] })
            .ToList();
        var options = Fast(maxUploadBytes: 4_096); // several jobs: rows split between them too
        options.Delimiter = delimiter;
        options.LineEnding = lineEnding;

        var result = (await client.Bulk.InsertAsync(contacts, options)).ThrowIfFailed();

        Assert.True(result.Jobs.Count > 1);
        Assert.Equal(400, result.Successful.Count);
        Assert.All(result.Successful, s => Assert.Equal(contacts[s.Index].Id, s.Id));
        var stored = await OrgClient.ContactsByIdAsync(client);

        Assert.All(contacts, c => Assert.Equal((c.LastName, c.Title), (stored[c.Id!.Value.Value].LastName, stored[c.Id!.Value.Value].Title)));
    }

    [Theory]
    [InlineData(FaultKind.DropAfterProcessing, "POST", "/jobs/ingest")] // the job made, its answer lost: made again
    [InlineData(FaultKind.DropBeforeProcessing, "POST", "/jobs/ingest")]
    [InlineData(FaultKind.DropAfterProcessing, "PUT", "/batches")] // the upload arrived, its answer lost
    [InlineData(FaultKind.DropBeforeProcessing, "PUT", "/batches")]
    [InlineData(FaultKind.DropAfterProcessing, "PATCH", "/jobs/ingest")] // UploadComplete taken, its answer lost
    [InlineData(FaultKind.DropBeforeProcessing, "PATCH", "/jobs/ingest")]
    [InlineData(FaultKind.DropAfterProcessing, "GET", "/successfulResults")]
    [InlineData(FaultKind.DropAfterProcessing, "GET", "/jobs/ingest/")] // a poll
    public async Task Insert_ConnectionLostAtEachStep_EveryRowStoredOnce_AndReportedSo(FaultKind fault, string method, string path)
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        org.Faults.Rules.Add(new FaultRule(fault, 1) { Method = method, PathContains = path, MaxCount = 1 });
        var contacts = Enumerable.Range(0, 3_000).Select(i => new Contact { LastName = "Step " + i }).ToList();

        var result = await client.Bulk.InsertAsync(contacts, Fast(maxUploadBytes: 10_000)); // several jobs

        Assert.Equal(1, org.Faults.Injected[fault]);
        Assert.True(result.Jobs.Count > 1);
        Assert.Equal(3_000, result.Successful.Count);
        var stored = await OrgClient.ContactsByIdAsync(client);

        Assert.Equal(3_000, stored.Count);
        Assert.All(result.Successful, s => Assert.Equal(contacts[s.Index].LastName, stored[s.Id!.Value.Value].LastName));
    }

    [Theory]
    [InlineData("/jobs/ingest/", false)] // the first poll: that job's rows
    [InlineData("/failedResults/", true)] // a job's failed results, after its successful ones were read: its failed rows only
    public async Task Insert_OneJobsOutcomeUnreadable_TheRestReported_ThoseRowsOutcomeUnknown_NothingGuessed(string path, bool onlyItsFailedRows)
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org, configure: o => o.RetryPolicy = Sdk.Runtime.Http.RetryPolicy.None());
        org.Faults.Rules.Add(new FaultRule(FaultKind.ServerError, 1) { Method = "GET", PathContains = path, MaxCount = 1 });
        var contacts = Enumerable.Range(0, 3_000).Select(i => new Contact { LastName = i % 100 == 42 ? null : "Unread " + i }).ToList(); // 30 invalid

        var ex = await Assert.ThrowsAsync<BulkIngestInterruptedException<Contact>>(() => client.Bulk.InsertAsync(contacts, Fast(maxUploadBytes: 10_000)));

        Assert.Equal(1, org.Faults.Injected[FaultKind.ServerError]);
        Assert.IsAssignableFrom<SalesforceException>(ex.InnerException);
        var result = ex.Result;
        Assert.Equal(3_000, result.InputCount);
        Assert.Equal(3_000, result.Successful.Count + result.Failed.Count + result.Unprocessed.Count);
        Assert.NotEmpty(result.Unprocessed);
        var jobId = Assert.Single(result.Unprocessed.Select(u => u.JobId).Distinct()); // one job's rows
        Assert.True(result.Jobs.Count > 2 && result.Jobs.Any(j => j.Id == jobId), $"{result.Jobs.Count} jobs");
        Assert.All(result.Unprocessed, u =>
        {
            Assert.Equal("OUTCOME_UNKNOWN", u.Errors.Single().ErrorCode);
            Assert.Contains(jobId, u.Errors.Single().Message, StringComparison.Ordinal);
            Assert.Null(u.Item.Id); // no id guessed onto the record
            Assert.True(!onlyItsFailedRows || u.Item.LastName is null, $"row {u.Index}");
        });
        Assert.Equal(onlyItsFailedRows, result.Successful.Any(s => s.JobId == jobId)); // what was read of that job stands
        Assert.All(result.Failed, f => Assert.Equal(("REQUIRED_FIELD_MISSING", null), (f.Errors[0].ErrorCode, f.Item.LastName)));
        Assert.All(result.Successful, s => Assert.Equal(s.Id, s.Item.Id));

        // The job whose outcome was not read did process its rows: why they are not reported as safe to send again.
        while (!(await client.Bulk.GetJobAsync(jobId)).IsFinished)
        {
            await Task.Delay(20);
        }

        var stored = await OrgClient.ContactsByIdAsync(client);
        Assert.Equal(2_970, stored.Count);
        Assert.All(result.Successful, s => Assert.Equal(contacts[s.Index].LastName, stored[s.Id!.Value.Value].LastName));
        Assert.Equal(2_970 - result.Successful.Count, result.Unprocessed.Count(u => u.Item.LastName is not null));
    }

    /// <summary>
    /// A text field holding "#N/A" itself, which Bulk API reads as null, is not sent: the row is unprocessed with
    /// TEXT_READ_AS_NULL, and the stored record keeps its value (before: sent, and the field cleared). Both APIs.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Update_ATextFieldHoldingTheNullMarker_IsNotSent_TheRecordKeepsItsValue(bool bulkV1)
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var accounts = Enumerable.Range(0, 3).Select(i => new Account { Name = "A" + i, Description = "kept" }).ToList();
        await client.Collections.CreateAsync(accounts);
        var updates = accounts.Select((a, i) => new Account { Id = a.Id, Description = i == 1 ? "#N/A" : "changed" }).ToList();

        var result = bulkV1
            ? await client.BulkV1.IngestAsync(BulkOperation.Update, updates, options: new BulkV1Options { PollInterval = TimeSpan.FromMilliseconds(10) })
            : await client.Bulk.UpdateAsync(updates, Fast());

        Assert.Equal([0, 2], result.Successful.Select(s => s.Index));
        var refused = Assert.Single(result.Unprocessed);
        Assert.Equal((1, "TEXT_READ_AS_NULL"), (refused.Index, refused.Errors.Single().ErrorCode));
        var stored = (await client.Query<Account>().ToListAsync()).ToDictionary(a => a.Id!.Value.Value, a => a.Description);
        Assert.Equal(["changed", "kept", "changed"], accounts.Select(a => stored[a.Id!.Value.Value]));
    }

    /// <summary>Cancelled while a job's data is uploading: the job is aborted, not left open in the org (before: left Open).</summary>
    [Fact]
    public async Task Insert_CancelledDuringTheUpload_TheJobIsAborted_NotLeftOpen()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        org.Faults.Rules.Add(new FaultRule(FaultKind.Latency, 1) { Method = "PUT", PathContains = "/batches", Delay = TimeSpan.FromSeconds(30) });
        using var cts = new CancellationTokenSource();

        var insert = client.Bulk.InsertAsync(Enumerable.Range(0, 100).Select(i => new Account { Name = "A" + i }), Fast(), cts.Token);
        while (org.Faults.Injected.GetValueOrDefault(FaultKind.Latency) == 0)
        {
            await Task.Delay(10); // until the upload is under way
        }

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => insert);

        var job = Assert.Single(await client.Bulk.ListJobsAsync().ToListAsync());
        Assert.Equal(BulkJobState.Aborted, job.State);
        Assert.Equal(0, await client.Query<Account>().CountAsync());
    }

    [Fact]
    public async Task Insert_SourceFailsMidway_TheErrorCarriesEveryRowTaken_TheJobsSentRanToTheirEnd()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var contacts = Enumerable.Range(0, 2_500).Select(i => new Contact { LastName = "Source " + i }).ToList();

        var ex = await Assert.ThrowsAsync<BulkIngestInterruptedException<Contact>>(() => client.Bulk.IngestAsync(BulkOperation.Insert, Sources.Async(contacts, new InvalidOperationException("the source broke")), options: Fast(maxUploadBytes: 10_000)));

        Assert.Equal("the source broke", Assert.IsType<InvalidOperationException>(ex.InnerException).Message);
        var result = ex.Result;
        Assert.Equal(2_500, result.InputCount);
        Assert.Equal(2_500, result.Successful.Count + result.Failed.Count + result.Unprocessed.Count);
        Assert.True(result.Jobs.Count > 1 && result.Successful.Count > 0 && result.Unprocessed.Count > 0, $"{result.Jobs.Count} jobs, {result.Successful.Count} ok, {result.Unprocessed.Count} unsent");
        Assert.All(result.Unprocessed, u => Assert.Equal("NOT_SENT", u.Errors.Single().ErrorCode));
        Assert.True(result.Unprocessed.Min(u => u.Index) > result.Successful.Max(s => s.Index)); // the last rows, not yet in a job
        Assert.Equal(result.Successful.Count, await client.Query<Contact>().CountAsync());
        Assert.All(result.Successful, s => Assert.Equal(s.Id, contacts[s.Index].Id));
    }

    [Theory]
    [InlineData(100, 1)] // a new field after 100 rows: the job is written again under the wider header
    [InlineData(10_001, 2)] // after more than 10,000 rows the job is sent as it is, and the next one has the wider header
    public async Task Insert_RecordsSettingDifferentFields_ShareJobs_UnderAWiderHeader_EachStoredAsSet(int phonesFirst, int jobs)
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var contacts = OrgClient.PhoneOrEmailContacts(phonesFirst + 1_000, phonesFirst);

        var result = await client.Bulk.InsertAsync(contacts, Fast());

        Assert.Equal(contacts.Count, result.Successful.Count);
        Assert.Equal(jobs, result.Jobs.Count); // not a job for each change of fields
        Assert.Equal(contacts.Count, await client.Query<Contact>().CountAsync());
        await OrgClient.AssertStoredAsSentAsync(client, contacts, result.Successful);
    }

    /// <summary>
    /// Records naming their parent in turn by its id and by an external id (a file names a parent one way) fill a job for
    /// each way at once: two jobs. Before, each change of naming sealed the job: a job per record (300 here).
    /// </summary>
    [Fact]
    public async Task Insert_RecordsNamingTheirParentInTurnByIdAndByExternalId_FillOneJobEach_EachStoredWithItsParent()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var (managers, contacts) = await OrgClient.ContactsNamingTheirManagerInTurnAsync(client, 300);

        var result = await client.Bulk.InsertAsync(contacts, Fast());

        Assert.Equal(contacts.Count, result.Successful.Count);
        Assert.Equal(2, result.Jobs.Count);
        await OrgClient.AssertStoredWithTheirManagerAsync(client, managers, contacts, result.Successful);
    }

    [Fact]
    public async Task Insert_ARowTheWiderHeaderWouldPushPastTheUploadLimit_TheJobIsSentAsItIs()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        // 21 bytes of header and 2,023 of row fit 2,048; with Phone, 27 and 2,024 would not.
        var contacts = new[] { new Contact { LastName = "L", Description = new string('d', 2_020) }, new Contact { LastName = "S", Phone = "555-0100" } };

        var result = await client.Bulk.InsertAsync(contacts, Fast(maxUploadBytes: 2_048));

        Assert.Equal(2, result.Successful.Count);
        Assert.Equal(2, result.Jobs.Count);
        var stored = await OrgClient.ContactsByIdAsync(client);
        Assert.Equal(new string('d', 2_020), stored[contacts[0].Id!.Value.Value].Description);
        Assert.Equal("555-0100", stored[contacts[1].Id!.Value.Value].Phone);
    }

    [Fact]
    public async Task Upsert_ByExternalId_CreatesThenUpdates_CreatedFlagsExact()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var first = Enumerable.Range(0, 5_000).Select(i => new Invoice { External_Id = $"INV-{i:D5}", Name = $"Invoice {i}", Amount = i }).ToList();
        var created = await client.Bulk.UpsertAsync(first, "External_Id__c", Fast());
        Assert.True(created.IsSuccess);
        Assert.All(created.Successful, s => Assert.True(s.Created));

        // The same 5,000 with new amounts, plus 1,000 new keys that also need a name: the header widens to hold Name, and the
        // first 5,000 rows leave it empty, which leaves their names as they were.
        var second = Enumerable.Range(0, 6_000)
            .Select(i => i < 5_000 ? new Invoice { External_Id = $"INV-{i:D5}", Amount = i + 0.5m } : new Invoice { External_Id = $"INV-{i:D5}", Amount = i + 0.5m, Name = "New " + i })
            .ToList();
        var upserted = (await client.Bulk.UpsertAsync(second, "External_Id__c", Fast())).ThrowIfFailed();
        Assert.Single(upserted.Jobs);
        Assert.Equal(6_000, upserted.Successful.Count);
        Assert.Equal(1_000, upserted.Successful.Count(s => s.Created));
        Assert.All(upserted.Successful, s => Assert.Equal(s.Index >= 5_000, s.Created));
        Assert.All(upserted.Successful.Take(5_000), s => Assert.Equal(first[s.Index].Id, s.Id));
        Assert.Equal(6_000, await client.Query<Invoice>().CountAsync());
        var one = await client.Query<Invoice>().Where(i => i.External_Id == "INV-00042").FirstAsync();
        Assert.Equal(42.5m, one.Amount);
        Assert.Equal("Invoice 42", one.Name); // not in the second upload's columns: left as it was
    }

    [Fact]
    public async Task Query_250000Rows_StreamedWithBoundedMemory_InOrder_ParallelPages()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        const int Count = 250_000;
        var load = await client.Bulk.InsertAsync(
            Enumerable.Range(0, Count).Select(i => new Invoice { External_Id = $"Q-{i:D6}", Name = "Row " + i, Amount = i }),
            Fast());
        Assert.True(load.IsSuccess);
        load = null;
        GC.Collect();

        var query = client.Query<Invoice>().OrderBy(i => i.External_Id).AsBulk(new BulkQueryOptions
        {
            PageSize = 20_000,
            ParallelPages = 3,
            PollInterval = TimeSpan.FromMilliseconds(20),
        });
        long rows = 0;
        long baseline = 0;
        long peak = 0;
        string? previous = null;
        decimal sum = 0;
        await foreach (var invoice in query)
        {
            if (rows == 0)
            {
                baseline = GC.GetTotalMemory(forceFullCollection: true);
            }
            else if (rows % 50_000 == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
            }

            Assert.True(previous is null || string.CompareOrdinal(previous, invoice.External_Id) < 0, "pages must arrive in order");
            previous = invoice.External_Id;
            sum += invoice.Amount ?? 0;
            rows++;
        }

        Assert.Equal(Count, rows);
        Assert.Equal((decimal)Count * (Count - 1) / 2, sum);
        // Holding 250,000 typed records would take well over 64 MB; streaming keeps a few pages at a time.
        Assert.True(peak - baseline < 32_000_000, $"heap grew by {(peak - baseline) / 1_000_000} MB while streaming");
    }

    [Fact]
    public async Task QueryCsv_OneHeader_AllRows_AndJobsListedThenDeleted()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var load = await client.Bulk.InsertAsync(Enumerable.Range(0, 1_234).Select(i => new Invoice { Name = "Line, \"quoted\"\n" + i, Amount = i }), Fast());
        Assert.True(load.IsSuccess);

        using var csv = new MemoryStream();
        var (job, rows) = await client.Bulk.QueryCsvAsync("SELECT Name, Amount__c FROM Invoice__c", csv,
            new BulkQueryOptions { PageSize = 500, PollInterval = TimeSpan.FromMilliseconds(10) });
        Assert.Equal(1_234, rows);
        var text = Encoding.UTF8.GetString(csv.ToArray());
        Assert.StartsWith("Name,Amount__c\n", text, StringComparison.Ordinal);
        Assert.Equal(1, text.Split("Name,Amount__c").Length - 1);
        Assert.Contains("\"Line, \"\"quoted\"\"\n17\",17\n", text, StringComparison.Ordinal);

        // The same pages as typed records (each page parsed in pieces on the thread pool), and a query with no rows.
        var typed = await client.Bulk.QueryAsync<Invoice>("SELECT Name, Amount__c FROM Invoice__c",
            new BulkQueryOptions { PageSize = 500, PollInterval = TimeSpan.FromMilliseconds(10) }).ToListAsync();
        Assert.Equal(Enumerable.Range(0, 1_234).Select(i => ((string?)("Line, \"quoted\"\n" + i), (decimal?)i)), typed.Select(r => (r.Name, r.Amount)).OrderBy(r => r.Amount));
        var sequential = await client.Bulk.QueryAsync<Invoice>("SELECT Name, Amount__c FROM Invoice__c",
            new BulkQueryOptions { PageSize = 500, PollInterval = TimeSpan.FromMilliseconds(10), ParseParallelism = 1 }).ToListAsync();
        Assert.Equal(typed.Select(r => (r.Name, r.Amount)), sequential.Select(r => (r.Name, r.Amount)));
        Assert.Empty(await client.Bulk.QueryAsync<Invoice>("SELECT Name FROM Invoice__c WHERE Name = 'nobody'",
            new BulkQueryOptions { PollInterval = TimeSpan.FromMilliseconds(10) }).ToListAsync());

        var ingestJobs = await client.Bulk.ListJobsAsync().ToListAsync();
        Assert.Contains(ingestJobs, j => j.Id == load.Jobs[0].Id && j.State == BulkJobState.JobComplete);
        var queryJobs = await client.Bulk.ListJobsAsync(BulkJobKind.Query).ToListAsync();
        Assert.Contains(queryJobs, j => j.Id == job.Id);

        await client.Bulk.DeleteJobAsync(job.Id, BulkJobKind.Query);
        await Assert.ThrowsAsync<RecordNotFoundException>(() => client.Bulk.GetJobAsync(job.Id, BulkJobKind.Query));
    }

    /// <summary>
    /// Cancelling a query's enumeration stops it at the next record, in the middle of a page already downloaded and parsed:
    /// Bulk API 2.0 (pages parsed in pieces, or in turn), Bulk API 1.0, and the REST query. Before, each handed over the
    /// rest of its page first (a Bulk 2.0 page here: 400 more records).
    /// </summary>
    [Fact]
    public async Task Query_CancelledMidPage_StopsAtTheNextRecord_EveryQueryPath()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        Assert.True((await client.Bulk.InsertAsync(Enumerable.Range(0, 1_000).Select(i => new Invoice { Name = "I" + i, Amount = i }), Fast())).IsSuccess);
        var poll = TimeSpan.FromMilliseconds(10);
        IAsyncEnumerable<Invoice>[] paths =
        [
            client.Bulk.QueryAsync<Invoice>("SELECT Name FROM Invoice__c", new BulkQueryOptions { PageSize = 500, PollInterval = poll }),
            client.Bulk.QueryAsync<Invoice>("SELECT Name FROM Invoice__c", new BulkQueryOptions { PageSize = 500, PollInterval = poll, ParseParallelism = 1 }),
            client.BulkV1.QueryAsync<Invoice>("SELECT Name FROM Invoice__c", new BulkV1Options { PollInterval = poll }),
            client.Query<Invoice>().WithBatchSize(500),
        ];
        foreach (var path in paths)
        {
            using var cts = new CancellationTokenSource();
            var read = 0;
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                await foreach (var _ in path.WithCancellation(cts.Token))
                {
                    if (++read == 100)
                    {
                        await cts.CancelAsync();
                    }
                }
            });
            Assert.Equal(100, read);
        }
    }

    /// <summary>
    /// <c>DeleteJobWhenDone</c> deletes a query job the caller stopped reading early (a break, <c>FirstAsync</c>) too; before,
    /// only a job read to its end was deleted. Without it the jobs stay.
    /// </summary>
    [Fact]
    public async Task Query_DeleteJobWhenDone_AlsoWhenTheCallerStopsEarly()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        Assert.True((await client.Bulk.InsertAsync(Enumerable.Range(0, 300).Select(i => new Invoice { Name = "I" + i }), Fast())).IsSuccess);
        foreach (var delete in new[] { true, false })
        {
            var options = new BulkQueryOptions { PageSize = 100, PollInterval = TimeSpan.FromMilliseconds(10), DeleteJobWhenDone = delete };
            await foreach (var _ in client.Bulk.QueryAsync<Invoice>("SELECT Name FROM Invoice__c", options))
            {
                break;
            }

            Assert.NotNull(await client.Query<Invoice>().AsBulk(options).FirstAsync());
            Assert.Equal(delete ? 0 : 2, (await client.Bulk.ListJobsAsync(BulkJobKind.Query).ToListAsync()).Count);
        }
    }

    [Fact]
    public async Task InvalidQuery_AndUnknownColumn_AreTypedErrors_RowsUnprocessedNotLost()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var ex = await Assert.ThrowsAnyAsync<SalesforceException>(async () =>
        {
            await foreach (var _ in client.Bulk.QueryAsync<Invoice>("SELECT Nope__c FROM Invoice__c", new BulkQueryOptions { PollInterval = TimeSpan.FromMilliseconds(10) }))
            {
            }
        });
        Assert.Contains("Nope__c", ex.Message, StringComparison.Ordinal);

        using var input = new MemoryStream(Encoding.UTF8.GetBytes("Name,Nope__c\na,1\nb,2\nc,3\n"));
        var result = await client.Bulk.IngestCsvAsync("Invoice__c", BulkOperation.Insert, input, options: Fast());
        Assert.Equal(3, result.Unprocessed.Count);
        Assert.Equal(3, result.InputCount);
        Assert.Equal(BulkJobState.Failed, result.Jobs[0].State);
        Assert.Contains("Nope__c", result.Jobs[0].ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(["a", "b", "c"], result.Unprocessed.Select(u => u.Item["Name"]));
        Assert.All(result.Unprocessed, u => Assert.Equal("JOB_FAILED", u.Errors[0].ErrorCode));
        Assert.Equal(0, await client.Query<Invoice>().CountAsync());
    }

    private static async IAsyncEnumerable<Contact> Streamed(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return new Contact { LastName = "Async " + i };
        }
    }

    [Fact]
    public async Task AsyncSource_Update_Delete_HardDelete_AndJobsDeletedWhenDone()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var options = Fast();
        options.DeleteJobsWhenDone = true;

        // Insert from an async stream: the records come back with ids, in input order.
        var inserted = await client.Bulk.IngestAsync(BulkOperation.Insert, Streamed(3_000), options: options);
        Assert.Equal(3_000, inserted.Successful.Count);
        Assert.Equal(Enumerable.Range(0, 3_000), inserted.Successful.Select(s => s.Index));
        var contacts = inserted.Successful.Select(s => s.Item).ToList();
        Assert.All(contacts, c => Assert.NotNull(c.Id));
        Assert.Empty(await client.Bulk.ListJobsAsync().ToListAsync()); // deleted once read

        // Update by id: only the changed field is sent, the rest is left as it was.
        foreach (var contact in contacts.Take(1_000))
        {
            contact.Email = contact.LastName!.Replace(' ', '.') + "@example.com";
        }

        var updated = (await client.Bulk.UpdateAsync(contacts.Take(1_000), options)).ThrowIfFailed();
        Assert.All(updated.Successful, s => Assert.False(s.Created));
        var one = await client.SObjects.GetAsync<Contact>(contacts[7].Id!.Value);
        Assert.Equal(("Async 7", "Async.7@example.com"), (one.LastName, one.Email));

        // Delete 1,000 (to the recycle bin: queryAll still sees them) and hard-delete 500 more.
        var deleted = (await client.Bulk.DeleteAsync(contacts.Take(1_000), options)).ThrowIfFailed();
        var hardDeleted = (await client.Bulk.HardDeleteAsync(contacts.Skip(1_000).Take(500), options)).ThrowIfFailed();
        Assert.Equal((1_000, 500), (deleted.Successful.Count, hardDeleted.Successful.Count));
        Assert.Equal(1_500, await client.Query<Contact>().CountAsync());

        // Deleting what is already deleted fails row by row, with Salesforce's code, and loses nothing.
        var again = await client.Bulk.DeleteAsync(contacts.Take(10), options);
        Assert.Equal(10, again.Failed.Count);
        Assert.All(again.Failed, f => Assert.Equal("ENTITY_IS_DELETED", f.Errors[0].ErrorCode));
    }
}
