// Bulk API 2.0 and 1.0 on the local org: typed ingest that accounts for every row, a CSV file ingested as it is, upsert by
// external id, streamed queries (typed, parallel pages, raw CSV), a PK-chunked Bulk 1.0 query, and the jobs list.
//
//   dotnet run --project samples/Bulk
using System.Text;
using BulkSample.Org;
using Sdk.Emulator;
using Sdk.Runtime;
using Sdk.Runtime.Auth;
using Sdk.Runtime.Bulk;

await using var org = await LocalOrg.StartAsync();
var c = org.Credentials;
await using var client = new SalesforceClient(new SalesforceClientOptions
{
    Authenticator = new PasswordAuthenticator(c.ClientId, c.ClientSecret, c.Username, c.Password, org.LoginUrl),
});
var fast = new BulkIngestOptions { PollInterval = TimeSpan.FromMilliseconds(50), MaxUploadBytes = 1_000_000 };

Console.WriteLine("1. Insert 50,000 contacts; every 500th has no last name. Jobs split at 1 MB of CSV.");
var contacts = Enumerable.Range(0, 50_000).Select(i => new Contact { FirstName = "Bulk", LastName = i % 500 == 0 ? null : $"Person {i}", Email = $"p{i}@example.com" }).ToList();
var inserted = await client.Bulk.InsertAsync(contacts, fast);
Console.WriteLine($"   {inserted.Successful.Count:N0} ok + {inserted.Failed.Count:N0} failed + {inserted.Unprocessed.Count:N0} unprocessed = {inserted.InputCount:N0}, in {inserted.Jobs.Count} jobs");
Console.WriteLine($"   contacts[1].Id = {contacts[1].Id} (set from the results); row 0 failed: {inserted.Failed[0].Errors[0]}");

Console.WriteLine();
Console.WriteLine("2. A CSV file ingested as it is");
var csv = new StringBuilder("Name,External_Id__c,Amount__c\n");
for (var i = 0; i < 1_000; i++)
{
    csv.Append($"\"Invoice {i}, from CSV\",CSV-{i:D4},{i}.50\n");
}

var fromCsv = await client.Bulk.IngestCsvAsync("Invoice__c", BulkOperation.Insert, new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())), options: fast);
Console.WriteLine($"   {fromCsv.Successful.Count:N0} rows created; the first came back as {fromCsv.Successful[0].Id} with Name = {fromCsv.Successful[0].Item["Name"]}");

Console.WriteLine();
Console.WriteLine("3. Upsert by external id: 1,000 existing keys with new amounts, 500 new ones");
var upserts = Enumerable.Range(0, 1_500).Select(i => new Invoice { External_Id = $"CSV-{i:D4}", Name = $"Invoice {i}", Amount = i * 2m }).ToList();
var upserted = (await client.Bulk.UpsertAsync(upserts, "External_Id__c", fast)).ThrowIfFailed();
Console.WriteLine($"   {upserted.Successful.Count(s => !s.Created):N0} updated, {upserted.Successful.Count(s => s.Created):N0} created");

Console.WriteLine();
Console.WriteLine("4. Stream them back: typed from LINQ (3 pages at a time, in order), and as raw CSV");
var rows = 0;
await foreach (var contact in client.Query<Contact>().Where(x => x.FirstName == "Bulk").OrderBy(x => x.LastName)
    .AsBulk(new BulkQueryOptions { PageSize = 10_000, ParallelPages = 3, PollInterval = TimeSpan.FromMilliseconds(50) }))
{
    rows++;
}

Console.WriteLine($"   {rows:N0} contacts streamed");
using var file = new MemoryStream();
var (job, count) = await client.Bulk.QueryCsvAsync("SELECT Name, Amount__c FROM Invoice__c ORDER BY Name LIMIT 3", file, new BulkQueryOptions { PollInterval = TimeSpan.FromMilliseconds(50) });
Console.WriteLine($"   job {job.Id}: {count} rows as CSV:");
Console.Write("   " + Encoding.UTF8.GetString(file.ToArray()).Replace("\n", "\n   ", StringComparison.Ordinal));

Console.WriteLine();
Console.WriteLine("5. Bulk API 1.0: a PK-chunked query in chunks of 20,000");
var chunked = 0;
await foreach (var _ in client.BulkV1.QueryAsync<Contact>("SELECT Id FROM Contact",
    new BulkV1Options { PkChunking = new BulkPkChunking(ChunkSize: 20_000), PollInterval = TimeSpan.FromMilliseconds(50) }))
{
    chunked++;
}

Console.WriteLine($"   {chunked:N0} contacts read across the chunk batches");

Console.WriteLine();
Console.WriteLine("6. The org's jobs");
await foreach (var info in client.Bulk.ListJobsAsync())
{
    Console.WriteLine($"   ingest {info.Id} {info.Operation,-6} {info.Object,-10} {info.State,-12} {info.NumberRecordsProcessed,7:N0} rows, {info.NumberRecordsFailed:N0} failed");
}
