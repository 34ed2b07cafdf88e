using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Sdk.Runtime;
using Sdk.Runtime.Auth;

namespace Sdk.Benchmarks.Runtime;

/// <summary>
/// Reading one 2,000-record Account page through the client's streaming query reader, into <see cref="JsonObject"/> and into
/// a caller's POCO, vs a raw <see cref="Utf8JsonReader"/> pass over the same bytes (the floor: every token read, nothing built).
/// The page is served from memory so only reading is measured.
/// </summary>
[MemoryDiagnoser]
public class QueryPageReadBenchmarks
{
    private byte[] _page = null!;
    private SalesforceClient _client = null!;

    public const int Records = 2000;

    [GlobalSetup]
    public void Setup()
    {
        _page = AccountPage.Create(Records);
        var handler = new PageHandler(_page);
        _client = new SalesforceClient(new HttpClient(handler), new SalesforceClientOptions
        {
            InstanceUrl = new Uri("https://acme.my.salesforce.com"),
            Authenticator = new AccessTokenAuthenticator("token", new Uri("https://acme.my.salesforce.com")),
        });
    }

    [GlobalCleanup]
    public void Cleanup() => _client.Dispose();

    [Benchmark(Baseline = true)]
    public int RawReaderFloor()
    {
        var reader = new Utf8JsonReader(_page);
        var tokens = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                _ = reader.ValueSpan.Length;
            }

            tokens++;
        }

        return tokens;
    }

    [Benchmark]
    public async Task<int> IntoJsonObject()
    {
        var n = 0;
        await foreach (var _ in _client.QueryRawAsync<JsonObject>("SELECT Id FROM Account"))
        {
            n++;
        }

        return n == Records ? n : throw new InvalidOperationException($"read {n}");
    }

    [Benchmark]
    public async Task<int> IntoPoco()
    {
        var n = 0;
        await foreach (var _ in _client.QueryRawAsync<AccountRow>("SELECT Id FROM Account"))
        {
            n++;
        }

        return n == Records ? n : throw new InvalidOperationException($"read {n}");
    }

    private sealed class PageHandler(byte[] page) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new ByteArrayContent(page);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }
}
