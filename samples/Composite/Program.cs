// Composite APIs on the local org: a composite request with references, a batch with typed handles, a graph per order,
// a tree of an account with its contacts, and collections for many records.
//
//   dotnet run --project samples/Composite
using CompositeSample.Org;
using Sdk.Emulator;
using Sdk.Runtime;
using Sdk.Runtime.Auth;
using Sdk.Runtime.Composite;
using Sdk.Runtime.Records;

await using var org = await LocalOrg.StartAsync();
var c = org.Credentials;
await using var client = new SalesforceClient(new SalesforceClientOptions
{
    Authenticator = new PasswordAuthenticator(c.ClientId, c.ClientSecret, c.Username, c.Password, org.LoginUrl),
});

Console.WriteLine("1. Composite request: an account, a contact pointing at it, a query of its contacts, all or none");
var account = new Account { Name = "Composite Corp" };
CompositeResult<Contact> contacts;
await using (var composite = client.Composite.Request(allOrNone: true, errors: CompositeErrorHandling.AutoThrow))
{
    var created = composite.SObjects.Create(account);
    composite.SObjects.Create(new Contact { LastName = "Reference", AccountId = created.Ref.Id });
    contacts = composite.Query<Contact>($"SELECT Id, LastName FROM Contact WHERE AccountId = '{created.Ref.Id}'");
}

Console.WriteLine($"   account {account.Id}; its contacts: {string.Join(", ", contacts.Records.Select(r => r.LastName))}");

Console.WriteLine("2. Batch: independent reads in one round trip, one of them failing");
var batch = client.Composite.Batch();
var read = batch.SObjects.Get<Account>(account.Id!.Value, ["Name"]);
var missing = batch.SObjects.Get<Account>(SalesforceId.Parse("001000000000000AAA"));
var count = batch.Query<Account>("SELECT COUNT() FROM Account");
await batch.ExecuteAsync();
Console.WriteLine($"   read: {read.Record!.Name}; missing: {missing.StatusCode} {missing.Exception!.GetType().Name}; accounts: {count.TotalSize}");

Console.WriteLine("3. Graph: one graph per order, each all or nothing (the second has a contact without a last name)");
var graphs = client.Composite.Graph();
foreach (var (name, lastName) in new[] { ("Good order", "Buyer"), ("Bad order", (string?)null) })
{
    var graph = graphs.AddGraph();
    var buyer = graph.SObjects.Create(new Account { Name = name });
    graph.SObjects.Create(new Contact { LastName = lastName, AccountId = buyer.Ref.Id });
}

await graphs.ExecuteAsync();
foreach (var graph in graphs.Graphs)
{
    var failure = graph.Subrequests.FirstOrDefault(s => !s.IsSuccess && !s.IsHalted);
    Console.WriteLine($"   {graph.GraphId}: {(graph.IsSuccessful ? "created" : $"rolled back ({failure?.Errors[0].ErrorCode})")}");
}

Console.WriteLine("4. Tree: an account with two contacts in one call");
var parent = new Account { Name = "Tree Inc", Contacts = new([new Contact { LastName = "Left" }, new Contact { LastName = "Right" }]) };
var tree = await client.Composite.CreateTreeAsync([parent]);
tree.ThrowIfFailed();
Console.WriteLine($"   {string.Join(", ", tree.Results.Select(r => $"{r.ReferenceId} → {r.Id}"))}");

Console.WriteLine("5. Collections: 1,000 accounts, 200 a call, 4 calls at once, results in input order");
var many = Enumerable.Range(0, 1000).Select(i => new Account { Name = $"Bulk-ish {i:D4}" }).ToList();
var before = org.ApiRequestCount;
var results = await client.Collections.CreateAsync(many);
Console.WriteLine($"   {results.Count(r => r.Success)} created in {org.ApiRequestCount - before} requests; the first is {many[0].Id}");
