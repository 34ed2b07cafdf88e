// Retries, events and telemetry on a local org that injects faults: the SDK retries what is safe to retry, reports every
// attempt through events, and surfaces what it cannot fix as a typed exception.
//
//   dotnet run --project samples/RetriesAndEvents
using System.Diagnostics;
using RetriesSample.Org;
using Sdk.Emulator;
using Sdk.Runtime;
using Sdk.Runtime.Auth;
using Sdk.Runtime.Events;
using Sdk.Runtime.Http;

var options = new LocalOrgOptions();
options.Faults.Seed = 42;
options.Faults.Rules.Add(new FaultRule(FaultKind.ServiceUnavailable, 0.2));
options.Faults.Rules.Add(new FaultRule(FaultKind.TooManyRequests, 0.1) { RetryAfter = TimeSpan.FromSeconds(1) });
options.Faults.Rules.Add(new FaultRule(FaultKind.DropAfterProcessing, 1) { Method = "POST", PathContains = "/sobjects/Account", MaxCount = 1 });
await using var org = await LocalOrg.StartAsync(options);

// Spans, as OpenTelemetry would collect them (AddSource(SalesforceTelemetry.ActivitySourceName)).
using var listener = new ActivityListener
{
    ShouldListenTo = source => source.Name == SalesforceTelemetry.ActivitySourceName,
    Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    ActivityStopped = a => Console.WriteLine($"   span {a.DisplayName} → {a.GetTagItem("http.response.status_code")} after {a.GetTagItem("salesforce.attempts")} attempt(s)"),
};
ActivitySource.AddActivityListener(listener);

var retry = RetryPolicy.CreateDefault();
retry.BaseDelay = TimeSpan.FromMilliseconds(50);
var c = org.Credentials;
await using var client = new SalesforceClient(new SalesforceClientOptions
{
    Authenticator = new PasswordAuthenticator(c.ClientId, c.ClientSecret, c.Username, c.Password, org.LoginUrl),
    RetryPolicy = retry,
});
using var retries = client.Events.Subscribe<RetryEvent>(e => Console.WriteLine($"   retry {e.Attempt} of {e.Method} {e.Path}: {(int?)e.StatusCode} {e.ErrorCode ?? e.Exception?.GetType().Name}, waiting {e.Delay.TotalMilliseconds:0} ms"));

Console.WriteLine("1. Reads through injected 503s and 429s: retried with backoff, Retry-After honoured");
var invoice = new Invoice { External_Id = "R-1", Name = "Retried", Amount = 1m };
await client.SObjects.UpsertAsync(invoice, "External_Id__c");
for (var i = 0; i < 5; i++)
{
    await client.SObjects.GetAsync<Invoice>(invoice.Id!.Value, ["Name"]);
}

Console.WriteLine("2. A create whose answer is lost: not re-sent (it may have happened), surfaced to the caller");
try
{
    await client.SObjects.CreateAsync(new Account { Name = "Maybe created" });
}
catch (HttpRequestException ex)
{
    Console.WriteLine($"   {ex.GetType().Name}: {ex.Message}");
}

var created = await client.Query<Account>().Where(a => a.Name == "Maybe created").CountAsync();
Console.WriteLine($"   the org holds {created} such account(s): the server did create it; an upsert by external id is the safe way");

await client.FlushEventsAsync();
Console.WriteLine($"3. Faults injected: {string.Join(", ", org.Faults.Injected.Select(p => $"{p.Key} {p.Value}"))}");
