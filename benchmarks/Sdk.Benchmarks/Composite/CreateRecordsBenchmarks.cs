using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Sdk.Emulator;
using Sdk.Runtime;
using Sdk.Runtime.Auth;

namespace Sdk.Benchmarks.Composite;

/// <summary>
/// Creating 10,000 Accounts on bare loopback (a round trip of ~0.1 ms): one request per record (sequential, the baseline) vs
/// sObject Collections (200 a call, 4 calls at once) vs composite graph (one graph of 500 nodes a call, calls in sequence).
/// Records/s = 10,000 / time; round trips are 10,000, 50 and 20. Goal: collections ≥ 20× faster than one by one.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 80, iterationCount: 20)]
public class CreateRecordsBenchmarks : CreateRecordsBenchmarkBase
{
    /// <inheritdoc/>
    protected override TimeSpan Latency => TimeSpan.Zero;
}

/// <summary>
/// The same as <see cref="CreateRecordsBenchmarks"/> with a 1 ms network delay added to each request (a real org is
/// 20–100 ms away): one by one takes about a minute an iteration, so there are fewer iterations.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class CreateRecordsWithLatencyBenchmarks : CreateRecordsBenchmarkBase
{
    /// <inheritdoc/>
    protected override TimeSpan Latency => TimeSpan.FromMilliseconds(1);
}

/// <summary>
/// Creating Accounts three ways against one org and one signed-in client, as a running application has them. Each
/// iteration starts with no Accounts, so the store does not grow from one iteration to the next. Collections and graphs make
/// only 50 and 20 calls an iteration, so their code needs several iterations to be fully compiled (tiered JIT): the warm-up
/// iterations let every method reach its steady state before it is measured.
/// </summary>
public abstract class CreateRecordsBenchmarkBase
{
    private LocalOrg _org = null!;
    private SalesforceClient _client = null!;
    private int _count;

    /// <summary>The network delay the local org adds to each request.</summary>
    protected abstract TimeSpan Latency { get; }

    [GlobalSetup]
    public void GlobalSetup()
    {
        _count = Program.IsSmoke ? 400 : 10_000;
        _org = LocalOrg.StartAsync(new LocalOrgOptions { DailyApiLimit = long.MaxValue, Latency = Latency }).GetAwaiter().GetResult();
        var c = _org.Credentials;
        _client = new SalesforceClient(new SalesforceClientOptions
        {
            Authenticator = new PasswordAuthenticator(c.ClientId, c.ClientSecret, c.Username, c.Password, _org.LoginUrl),
        });
        _client.GetLimitsAsync().GetAwaiter().GetResult();
    }

    [IterationSetup]
    public void Setup() => _org.State.Store.Truncate(_org.State.Schema.Find("Account")!);

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _org.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private List<Sdk.Benchmarks.Org.Account> Records()
        => [.. Enumerable.Range(0, _count).Select(i => new Sdk.Benchmarks.Org.Account { Name = $"Account {i}", Phone = "555-0100" })];

    [Benchmark(Baseline = true)]
    public async Task<int> OneByOneAsync()
    {
        foreach (var record in Records())
        {
            await _client.SObjects.CreateAsync(record);
        }

        return _org.RecordCount;
    }

    [Benchmark]
    public async Task<int> CollectionsAsync()
    {
        var results = await _client.Collections.CreateAsync(Records());
        return results.Count(r => r.Success);
    }

    [Benchmark]
    public async Task<int> CompositeGraphAsync()
    {
        var created = 0;
        foreach (var chunk in Records().Chunk(Sdk.Runtime.Composite.CompositeGraphRequest.MaxNodesPerGraph))
        {
            var call = _client.Composite.Graph();
            var graph = call.AddGraph();
            var handles = chunk.Select(record => graph.SObjects.Create(record)).ToList();
            await call.ExecuteAsync();
            created += handles.Count(h => h.IsSuccess);
        }

        return created;
    }
}
