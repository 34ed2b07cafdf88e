using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Sdk.Emulator;
using Sdk.Runtime;
using Sdk.Runtime.Auth;
using Sdk.Runtime.Records;

namespace Sdk.Benchmarks.Emulator;

/// <summary>
/// The local org serving the SDK client on loopback: (a) small GETs at concurrency 32 and (b) 2,000-record query pages,
/// each against a baseline server that returns the same bytes from memory (the cost of HTTP and the client alone).
/// Requests/s = 3,200 / time of one invocation; pages/s = 1 / time. Goal: ≥ 2,000 small requests/s on 2 cores.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class LocalOrgBenchmarks
{
    private const int Concurrency = 32;
    public const int Requests = 3200;
    private LocalOrg _org = null!;
    private LoopbackServer _static = null!;
    private SalesforceClient _orgClient = null!;
    private SalesforceClient _staticClient = null!;
    private HttpClient _raw = null!;
    private HttpClient _rawStatic = null!;
    private SalesforceId _id;
    private string _pagePath = null!;
    private int _perWorker;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _perWorker = (Program.IsSmoke ? 320 : Requests) / Concurrency;
        _org = await LocalOrg.StartAsync(new LocalOrgOptions { Seed = 1, DailyApiLimit = long.MaxValue });
        await _org.GenerateAsync("Account", 2_000);
        var credentials = _org.Credentials;
        _orgClient = new SalesforceClient(new SalesforceClientOptions
        {
            Authenticator = new PasswordAuthenticator(credentials.ClientId, credentials.ClientSecret, credentials.Username, credentials.Password, _org.LoginUrl),
        });
        var first = await _orgClient.QueryRawAsync<JsonObject>("SELECT Id FROM Account LIMIT 1").ToListAsync();
        _id = SalesforceId.Parse(first[0]["Id"]!.GetValue<string>());

        _raw = new HttpClient { BaseAddress = _org.InstanceUrl };
        _raw.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _org.CreateAccessToken());
        _pagePath = "/services/data/v66.0/query?q=" + Uri.EscapeDataString(
            "SELECT Id, Name, AccountNumber, Industry, Type, Rating, AnnualRevenue, NumberOfEmployees, Phone, Website, BillingStreet, BillingCity, BillingState, BillingPostalCode, BillingCountry, Description, OwnerId, CreatedDate, LastModifiedDate FROM Account LIMIT 2000");

        // The baseline serves, from memory, exactly what the org answers.
        var record = await _orgClient.SObjects.GetAsync("Account", _id);
        var page = await _raw.GetByteArrayAsync(_pagePath);
        _static = await LoopbackServer.StartAsync(System.Text.Encoding.UTF8.GetBytes(record.ToJsonString()), page);
        _staticClient = new SalesforceClient(new SalesforceClientOptions { InstanceUrl = _static.Url, Authenticator = new AccessTokenAuthenticator("token", _static.Url) });
        _rawStatic = new HttpClient { BaseAddress = _static.Url };
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _orgClient.DisposeAsync();
        await _staticClient.DisposeAsync();
        _raw.Dispose();
        _rawStatic.Dispose();
        await _static.DisposeAsync();
        await _org.DisposeAsync();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Requests)]
    [BenchmarkCategory("small")]
    public Task SmallGet_FromMemoryAsync() => RunAsync(async () => _ = await _staticClient.SObjects.GetAsync("Account", _id));

    [Benchmark(OperationsPerInvoke = Requests)]
    [BenchmarkCategory("small")]
    public Task SmallGet_LocalOrgAsync() => RunAsync(async () => _ = await _orgClient.SObjects.GetAsync("Account", _id));

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("page")]
    public async Task<int> Page2000_FromMemoryAsync() => (await _rawStatic.GetByteArrayAsync("/page")).Length;

    [Benchmark]
    [BenchmarkCategory("page")]
    public async Task<int> Page2000_LocalOrgAsync() => (await _raw.GetByteArrayAsync(_pagePath)).Length;

    private Task RunAsync(Func<Task> one) => Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
    {
        for (var i = 0; i < _perWorker; i++)
        {
            await one();
        }
    }));
}

/// <summary>Memory the local org keeps per 100,000 stored Account records (allocations while storing them are measured too).</summary>
[MemoryDiagnoser]
public class LocalOrgStoreBenchmarks
{
    [Benchmark]
    public async Task<int> Store100kAccountsAsync()
    {
        await using var org = await LocalOrg.StartAsync(new LocalOrgOptions());
        await org.GenerateAsync("Account", Program.IsSmoke ? 1_000 : 100_000);
        return org.RecordCount;
    }

    /// <summary>Retained managed memory of 100,000 generated Accounts: printed by <c>-- --org-memory</c>.</summary>
    public static async Task<long> RetainedBytesAsync(int records)
    {
        await using var org = await LocalOrg.StartAsync(new LocalOrgOptions());
        var before = GC.GetTotalMemory(forceFullCollection: true);
        await org.GenerateAsync("Account", records);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(org);
        return after - before;
    }
}
