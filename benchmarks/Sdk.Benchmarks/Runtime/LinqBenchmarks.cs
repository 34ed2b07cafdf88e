using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Sdk.Benchmarks.Org;
using Sdk.Runtime;
using Sdk.Runtime.Auth;
using Sdk.Runtime.Query;
using Sdk.Runtime.Query.Internal;
using Sdk.Runtime.Soql;

namespace Sdk.Benchmarks.Runtime;

/// <summary>
/// Translation of a typical LINQ query (three filters, a parent path, an order, a limit) to SOQL: from the cache (a tree seen
/// for the first time as an object, and the same query object again), cold (no cache: translation and projection compile),
/// and end to end with the expression trees built, vs the same SOQL built by string concatenation with escaped literals (the
/// floor). Goal: cached ≤ 2 µs and ≤ 10× the floor.
/// </summary>
[MemoryDiagnoser]
public class LinqTranslationBenchmarks
{
    private SalesforceClient _client = null!;
    private ISoqlQueryable<object> _prebuilt = null!;
    private readonly string _name = "Smith";
    private readonly int _limit = 50;
    private readonly DateTimeOffset _since = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [GlobalSetup]
    public void Setup()
    {
        _client = new SalesforceClient(new HttpClient(), new SalesforceClientOptions
        {
            InstanceUrl = new Uri("https://acme.my.salesforce.com"),
            Authenticator = new AccessTokenAuthenticator("token", new Uri("https://acme.my.salesforce.com")),
        });
        _prebuilt = Build();
        var expected = StringConcatFloor();
        if (CachedTranslation() != expected || CachedSameQueryObject() != expected || BuildAndTranslate() != expected || Cold() != expected)
        {
            throw new InvalidOperationException("The translations differ from the floor: " + CachedTranslation() + " vs " + expected);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _client.Dispose();

    private ISoqlQueryable<object> Build()
        => _client.Query<Contact>()
            .Where(c => c.Account!.Industry == AccountIndustry.Banking && c.LastName!.StartsWith(_name) && c.CreatedDate > _since)
            .OrderBy(c => c.LastName)
            .Take(_limit)
            .Select(c => (object)new { c.LastName, c.Email, Company = c.Account!.Name });

    /// <summary>The same text by concatenation, values escaped (what a careful hand-written query costs).</summary>
    [Benchmark(Baseline = true)]
    public string StringConcatFloor()
        => "SELECT LastName, Email, Account.Name FROM Contact WHERE Account.Industry = " + SoqlLiteral.String(AccountIndustry.Banking.Value)
           + " AND LastName LIKE '" + SoqlLiteral.EscapeLike(_name).Replace("'", "\\'", StringComparison.Ordinal) + "%' AND CreatedDate > "
           + SoqlLiteral.DateTime(_since) + " ORDER BY LastName LIMIT " + _limit.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Translation of a tree not seen before as an object (what every freshly built query pays): the walk that keys the
    /// cache, the captured values, the text. The tree is prebuilt so that the C# compiler's expression construction is not counted.
    /// </summary>
    [Benchmark]
    public string CachedTranslation() => QueryPlanCache.Prepare(_prebuilt.Expression).Soql;

    /// <summary>The same query object again: its shape is remembered, only the captured values are read.</summary>
    [Benchmark]
    public string CachedSameQueryObject() => _prebuilt.ToSoql();

    /// <summary>End to end as application code runs it: the expression trees built (by the compiler's code) and translated.</summary>
    [Benchmark]
    public string BuildAndTranslate() => Build().ToSoql();

    /// <summary>No cache: the walk, the translation, the projection compile and the text.</summary>
    [Benchmark]
    public string Cold() => QueryPlanCache.ToSoqlUncached(_prebuilt.Expression);
}

/// <summary>
/// 2,000 Contact records (with their Account) projected into an anonymous type by the LINQ provider's compiled projection,
/// vs reading the same records and mapping them by hand. Goal: ≤ 1.2×.
/// </summary>
[MemoryDiagnoser]
public class LinqProjectionBenchmarks
{
    private SalesforceClient _client = null!;
    private const string Soql = "SELECT LastName, Email, Account.Name, Account.AnnualRevenue FROM Contact";

    [GlobalSetup]
    public void Setup()
    {
        var page = ContactPage.Create(Program.IsSmoke ? 20 : QueryPageReadBenchmarks.Records);
        _client = new SalesforceClient(new HttpClient(new StaticPage(page)), new SalesforceClientOptions
        {
            InstanceUrl = new Uri("https://acme.my.salesforce.com"),
            Authenticator = new AccessTokenAuthenticator("token", new Uri("https://acme.my.salesforce.com")),
        });
        if (_client.Query<Contact>().Select(c => new { c.LastName, c.Email, Company = c.Account!.Name, Revenue = c.Account.AnnualRevenue }).ToSoql() != Soql)
        {
            throw new InvalidOperationException("The LINQ query does not send the hand-written SOQL.");
        }

        if (HandMapped().GetAwaiter().GetResult() != LinqProjection().GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("The projections differ.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _client.Dispose();

    [Benchmark(Baseline = true)]
    public async Task<decimal> HandMapped()
    {
        var total = 0m;
        await foreach (var c in _client.QueryRawAsync<Contact>(Soql))
        {
            var row = new { c.LastName, c.Email, Company = c.Account?.Name, Revenue = c.Account?.AnnualRevenue };
            total += (row.Revenue ?? 0) + (row.LastName?.Length ?? 0) + (row.Company?.Length ?? 0);
        }

        return total;
    }

    [Benchmark]
    public async Task<decimal> LinqProjection()
    {
        var total = 0m;
        await foreach (var row in _client.Query<Contact>().Select(c => new { c.LastName, c.Email, Company = c.Account!.Name, Revenue = c.Account.AnnualRevenue }))
        {
            total += (row.Revenue ?? 0) + (row.LastName?.Length ?? 0) + (row.Company?.Length ?? 0);
        }

        return total;
    }

    private sealed class StaticPage(byte[] page) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new ByteArrayContent(page);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }
}

/// <summary>A Contact page with each contact's Account, in the shape Salesforce returns for parent paths.</summary>
public static class ContactPage
{
    public static byte[] Create(int records)
    {
        var list = new JsonArray();
        for (var i = 0; i < records; i++)
        {
            var account = i % 4 == 0
                ? null
                : new JsonObject
                {
                    ["attributes"] = new JsonObject { ["type"] = "Account", ["url"] = "/services/data/v66.0/sobjects/Account/001Da" + i.ToString("D10", CultureInfo.InvariantCulture) },
                    ["Name"] = "Account " + i,
                    ["AnnualRevenue"] = i * 10.5,
                };
            list.Add(new JsonObject
            {
                ["attributes"] = new JsonObject { ["type"] = "Contact", ["url"] = "/services/data/v66.0/sobjects/Contact/003Da" + i.ToString("D10", CultureInfo.InvariantCulture) },
                ["LastName"] = "Last " + i,
                ["Email"] = i % 3 == 0 ? null : $"person{i}@example.com",
                ["Account"] = account,
            });
        }

        return JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["totalSize"] = records, ["done"] = true, ["records"] = list });
    }
}
