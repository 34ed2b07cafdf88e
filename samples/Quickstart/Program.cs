// The SDK in one run: typed records generated from schema/ (pulled from the local org with sf-describe), CRUD with change
// tracking, LINQ that becomes SOQL (a parent path, a child subquery), an upsert by external id, a composite request with
// references, a Bulk API 2.0 ingest and query of 100,000 records with a progress bar, and the API usage the org reports,
// seen through events.
//
//   dotnet run --project samples/Quickstart                      starts a local org in this process (the default)
//   dotnet run --project samples/Quickstart -- --target-org dev  an org the Salesforce CLI is logged in to
//   SF_INSTANCE_URL=… SF_ACCESS_TOKEN=… dotnet run --project samples/Quickstart
//
// Against a real org it creates an account, a contact and invoices (Invoice__c must exist; the bulk step loads 1,000 there,
// or --bulk-records N), and deletes them at the end.
using Quickstart.Org;
using Sdk.Emulator;
using Sdk.Runtime;
using Sdk.Runtime.Auth;
using Sdk.Runtime.Bulk;
using Sdk.Runtime.Events;
using Spectre.Console;

var targetOrg = args.SkipWhile(a => a != "--target-org").Skip(1).FirstOrDefault() ?? Environment.GetEnvironmentVariable("SF_TARGET_ORG");
var instanceUrl = Environment.GetEnvironmentVariable("SF_INSTANCE_URL");
var accessToken = Environment.GetEnvironmentVariable("SF_ACCESS_TOKEN");

LocalOrg? localOrg = null;
var options = new SalesforceClientOptions();
if (targetOrg is not null)
{
    options.Authenticator = new SalesforceCliAuthenticator(targetOrg);
    Console.WriteLine($"Org: '{targetOrg}' through the Salesforce CLI");
}
else if (instanceUrl is not null && accessToken is not null)
{
    options.InstanceUrl = new Uri(instanceUrl);
    options.Authenticator = new AccessTokenAuthenticator(accessToken, options.InstanceUrl);
    Console.WriteLine($"Org: {instanceUrl}");
}
else
{
    localOrg = await LocalOrg.StartAsync(new LocalOrgOptions { Seed = 1 });
    var c = localOrg.Credentials;
    options.Authenticator = new PasswordAuthenticator(c.ClientId, c.ClientSecret, c.Username, c.Password, localOrg.LoginUrl);
    Console.WriteLine($"Org: a local org at {localOrg.InstanceUrl} ({localOrg.RecordCount} sample records; OAuth password login)");
}

try
{
    await using var client = new SalesforceClient(options);
    ApiUsage? usage = null;
    using var _ = client.Events.Subscribe<RestApiCallConsumptionEvent>(e => usage = e.Usage);

    Step("1. Create, read and update a typed record");
    var account = new Account { Name = "Quickstart Coffee", Industry = AccountIndustry.Hospitality, AnnualRevenue = 1_250_000m, BillingCity = "Lisbon" };
    await client.SObjects.CreateAsync(account);
    Console.WriteLine($"   created Account {account.Id} (HasChanges after the create: {account.HasChanges})");
    var contact = new Contact { FirstName = "Ada", LastName = "Barista", Email = "ada@quickstart.example", AccountId = account.Id };
    await client.SObjects.CreateAsync(contact);
    var loaded = await client.SObjects.GetAsync<Account>(account.Id!.Value);
    loaded.Phone = "+351 21 000 0000";
    Console.WriteLine($"   read back: {loaded.Name}, {loaded.Industry}, {loaded.AnnualRevenue:N0}; changed the phone: HasChanges = {loaded.HasChanges}");
    await client.SObjects.UpdateAsync(loaded);
    Console.WriteLine($"   updated (only the changed field is sent); HasChanges = {loaded.HasChanges}");

    Step("2. LINQ to SOQL: a parent path and a child subquery");
    var query = client.Query<Account>()
        .Where(a => a.BillingCity != null && a.Contacts!.Any())
        .OrderBy(a => a.Name)
        .Take(5)
        .Select(a => new
        {
            a.Name,
            Owner = a.Owner!.Name,
            People = a.Contacts!.OrderBy(p => p.LastName).Select(p => p.FirstName + " " + p.LastName).ToList(),
        });
    Console.WriteLine($"   {query.ToSoql()}");
    await foreach (var row in query)
    {
        Console.WriteLine($"   {row.Name,-24} owner {row.Owner,-18} contacts: {string.Join(", ", row.People)}");
    }

    Step("3. Upsert by external id: the first call creates, the second updates");
    var first = await client.SObjects.UpsertAsync(new Invoice { External_Id = "QS-0001", Name = "Quickstart invoice", Account = null, Amount = 99.5m }, "External_Id__c");
    var second = await client.SObjects.UpsertAsync(new Invoice { External_Id = "QS-0001", Name = "Quickstart invoice", Amount = 120m }, "External_Id__c");
    Console.WriteLine($"   first: created = {first.Created}; second: created = {second.Created}, same id = {first.Id == second.Id}");

    var count = await client.Query<Invoice>().Where(i => i.Amount > 100m).CountAsync();
    Console.WriteLine($"   invoices over 100: {count}");

    Step("4. Composite: an account, two contacts and a query of them, in one all-or-none round trip");
    var partner = new Account { Name = "Quickstart Roasters", Industry = AccountIndustry.Hospitality };
    Sdk.Runtime.Composite.CompositeResult<Contact> contactsOfPartner;
    await using (var composite = client.Composite.Request(allOrNone: true))
    {
        var created = composite.SObjects.Create(partner);
        composite.SObjects.Create(new Contact { LastName = "Roaster", AccountId = created.Ref.Id });
        composite.SObjects.Create(new Contact { LastName = "Taster", AccountId = created.Ref.Id });
        contactsOfPartner = composite.Query<Contact>($"SELECT Id, LastName FROM Contact WHERE AccountId = '{created.Ref.Id}' ORDER BY LastName");
        Console.WriteLine($"   the contacts point at {created.Ref.Id}, which the server resolves");
    }

    Console.WriteLine($"   created Account {partner.Id}; the query saw: {string.Join(", ", contactsOfPartner.Records.Select(c => c.LastName))}");

    Step("5. Clean up");
    await client.Collections.DeleteAsync(contactsOfPartner.Records.Select(c => c.Id!.Value).Append(contact.Id!.Value).Append(partner.Id!.Value).Append(account.Id!.Value));
    await client.SObjects.DeleteAsync("Invoice__c", first.Id!.Value);
    Console.WriteLine("   deleted the accounts, the contacts and the invoice");

    var bulkRecords = int.TryParse(args.SkipWhile(a => a != "--bulk-records").Skip(1).FirstOrDefault(), out var n) ? n : localOrg is null ? 1_000 : 100_000;
    Step($"6. Bulk API 2.0: {bulkRecords:N0} invoices in (every 1,000th one invalid), then streamed back out");
    var invoices = Enumerable.Range(0, bulkRecords)
        .Select(i => new Invoice { External_Id = $"QS-BULK-{i:D6}", Name = i % 1000 == 999 ? null : $"Bulk invoice {i}", Amount = i % 100 })
        .ToList();
    var started = System.Diagnostics.Stopwatch.StartNew();
    BulkIngestResult<Invoice>? ingested = null;
    await AnsiConsole.Progress()
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
        .StartAsync(async progress =>
        {
            var bar = progress.AddTask("   ingest", maxValue: bulkRecords);
            ingested = await client.Bulk.InsertAsync(invoices, new BulkIngestOptions
            {
                PollInterval = TimeSpan.FromMilliseconds(localOrg is null ? 1000 : 50),
                Progress = new Progress<BulkJobProgress>(p => bar.Value = p.RecordsProcessed),
            });
            bar.Value = bulkRecords;
        });
    Console.WriteLine($"   {ingested!.Successful.Count:N0} created, {ingested.Failed.Count:N0} failed, {ingested.Unprocessed.Count:N0} unprocessed " +
                      $"(of {ingested.InputCount:N0}, in {ingested.Jobs.Count} job(s), {started.Elapsed.TotalSeconds:F1} s)");
    if (ingested.Failed.Count > 0)
    {
        var failed = ingested.Failed[0];
        Console.WriteLine($"   first failure: row {failed.Index} ({failed.Item.External_Id}): {failed.Errors[0]}");
    }

    started.Restart();
    long streamed = 0;
    decimal total = 0;
    await AnsiConsole.Progress()
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
        .StartAsync(async progress =>
        {
            var bar = progress.AddTask("   query ", maxValue: ingested.Successful.Count);
            var query = client.Query<Invoice>().Where(i => i.External_Id!.StartsWith("QS-BULK-")).AsBulk(new BulkQueryOptions
            {
                PageSize = 25_000,
                ParallelPages = 2,
                PollInterval = TimeSpan.FromMilliseconds(localOrg is null ? 1000 : 50),
            });
            await foreach (var invoice in query)
            {
                total += invoice.Amount ?? 0;
                if (++streamed % 1_000 == 0)
                {
                    bar.Value = streamed;
                }
            }

            bar.Value = streamed;
        });
    Console.WriteLine($"   streamed back {streamed:N0} invoices (amounts add up to {total:N0}) in {started.Elapsed.TotalSeconds:F1} s, page by page");

    var removed = await client.Bulk.DeleteAsync(ingested.Successful.Select(r => r.Item), new BulkIngestOptions { PollInterval = TimeSpan.FromMilliseconds(localOrg is null ? 1000 : 50) });
    Console.WriteLine($"   deleted them again with a bulk delete: {removed.Successful.Count:N0} deleted");

    await client.FlushEventsAsync();
    Step("7. API usage, as the org reports it on every response (Sforce-Limit-Info)");
    Console.WriteLine($"   {usage?.Consumed} of {usage?.Limit} daily API requests used");
}
finally
{
    if (localOrg is not null)
    {
        await localOrg.DisposeAsync();
    }
}

static void Step(string title)
{
    Console.WriteLine();
    Console.WriteLine(title);
}
