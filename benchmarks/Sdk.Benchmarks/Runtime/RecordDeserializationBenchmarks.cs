using System.Net;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Sdk.Benchmarks.Org;
using Sdk.Runtime;
using Sdk.Runtime.Auth;

namespace Sdk.Benchmarks.Runtime;

/// <summary>
/// A 2,000-record Account page into generated <c>Account</c> records, vs the raw <see cref="Utf8JsonReader"/> floor and vs a
/// reflection-based <see cref="JsonSerializer.Deserialize{TValue}(ReadOnlySpan{byte}, JsonSerializerOptions?)"/> of an
/// equivalent POCO page. Goal: generated ≥ 0.5 of the floor's throughput and faster than reflection.
/// </summary>
[MemoryDiagnoser]
public class RecordDeserializationBenchmarks
{
    private byte[] _page = null!;
    private SalesforceClient _client = null!;
    private JsonSerializerOptions _reflection = null!;

    [GlobalSetup]
    public void Setup()
    {
        _page = AccountPage.Create(QueryPageReadBenchmarks.Records);
        _client = new SalesforceClient(new HttpClient(new PageHandler(_page)), new SalesforceClientOptions
        {
            InstanceUrl = new Uri("https://acme.my.salesforce.com"),
            Authenticator = new AccessTokenAuthenticator("token", new Uri("https://acme.my.salesforce.com")),
        });
        _reflection = new JsonSerializerOptions();
        if (GeneratedDirect() != QueryPageReadBenchmarks.Records || ReflectionPoco() != QueryPageReadBenchmarks.Records)
        {
            throw new InvalidOperationException("The page did not read fully.");
        }
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

    /// <summary>Generated reader over the in-memory page (records array walked directly).</summary>
    [Benchmark]
    public int GeneratedDirect()
    {
        var reader = new Utf8JsonReader(_page);
        var n = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("records"u8))
            {
                reader.Read();
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    _ = Account.ReadJson(ref reader, _reflection);
                    n++;
                }
            }
        }

        return n;
    }

    /// <summary>Generated records through the client's streaming query reader.</summary>
    [Benchmark]
    public async Task<int> GeneratedThroughClient()
    {
        var n = 0;
        await foreach (var _ in _client.QueryRawAsync<Account>("SELECT Id FROM Account"))
        {
            n++;
        }

        return n;
    }

    /// <summary>Reflection-based System.Text.Json into an equivalent POCO page.</summary>
    [Benchmark]
    public int ReflectionPoco() => JsonSerializer.Deserialize<PocoPage>(_page, _reflection)!.Records.Count;

    public sealed class PocoPage
    {
        [System.Text.Json.Serialization.JsonPropertyName("totalSize")]
        public int TotalSize { get; set; }

        [System.Text.Json.Serialization.JsonPropertyName("records")]
        public List<AccountRow> Records { get; set; } = [];
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
