using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Sdk.Runtime;
using Sdk.Runtime.Auth;
using Sdk.Runtime.Records;

namespace Sdk.Benchmarks.Runtime;

/// <summary>
/// Many small GETs at concurrency 32 against an in-process Kestrel endpoint: the full SDK client (events, concurrency,
/// retry, auth handlers, error checks, JSON into <see cref="JsonObject"/>) vs a raw HttpClient with the same transport settings
/// (connection pooling, gzip) doing the same GET and parse.
/// Goal: the client keeps at least 0.90 of the raw throughput.
/// </summary>
[MemoryDiagnoser]
public class PipelineOverheadBenchmarks
{
    private const int Concurrency = 32;
    private static readonly SalesforceId Id = SalesforceId.Parse("001Da00000xnAk6IAE");
    private LoopbackServer _server = null!;
    private HttpClient _raw = null!;
    private SalesforceClient _client = null!;
    private int _perWorker;

    public const int Requests = 3200;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _perWorker = (Program.IsSmoke ? 320 : Requests) / Concurrency;
        _server = await LoopbackServer.StartAsync("""{"attributes":{"type":"Account","url":"/services/data/v66.0/sobjects/Account/001Da00000xnAk6IAE"},"Id":"001Da00000xnAk6IAE","Name":"Acme","Industry":"Banking"}"""u8.ToArray());
        // The raw client gets the same transport settings as the SDK's own (pooling, compression): only the pipeline differs.
        _raw = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = System.Net.DecompressionMethods.GZip | System.Net.DecompressionMethods.Deflate,
        })
        { BaseAddress = _server.Url };
        _raw.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "token");
        _client = new SalesforceClient(new SalesforceClientOptions
        {
            InstanceUrl = _server.Url,
            Authenticator = new AccessTokenAuthenticator("token", _server.Url),
        });
        await RawAsync();
        await SdkAsync();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _client.DisposeAsync();
        _raw.Dispose();
        await _server.DisposeAsync();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Requests)]
    public Task RawAsync() => RunAsync(async () =>
    {
        using var response = await _raw.GetAsync("/services/data/v66.0/sobjects/Account/001Da00000xnAk6IAE", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        _ = await JsonNode.ParseAsync(stream);
    });

    [Benchmark(OperationsPerInvoke = Requests)]
    public Task SdkAsync() => RunAsync(async () => _ = await _client.SObjects.GetAsync("Account", Id));

    private Task RunAsync(Func<Task> one) => Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
    {
        for (var i = 0; i < _perWorker; i++)
        {
            await one();
        }
    }));
}
