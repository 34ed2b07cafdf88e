using System.Net;
using Microsoft.Extensions.Logging;
using Sdk.Runtime.Auth;
using Sdk.Runtime.Events;
using Sdk.Runtime.Records;
using Sdk.Runtime.Tests.TestSupport;

namespace Sdk.Runtime.Tests.Events;

public class EventTests
{
    private static readonly SalesforceId AccountId = SalesforceId.Parse("001Da00000xnAk6IAE");
    private const string RecordJson = """{"attributes":{"type":"Account"},"Id":"001Da00000xnAk6IAE","Name":"Acme"}""";

    private static SalesforceClient Client(DelegateHandler handler, ListLogger? logger = null)
    {
        var options = new SalesforceClientOptions
        {
            InstanceUrl = new Uri(TestClients.Instance),
            Authenticator = new AccessTokenAuthenticator(TestClients.Token, new Uri(TestClients.Instance)),
            RetryPolicy = TestClients.FastRetry(),
            TimeProvider = new ManualTimeProvider(),
            Logger = logger,
        };
        return new SalesforceClient(new HttpClient(handler), options);
    }

    private static HttpResponseMessage WithUsage(HttpResponseMessage response, string usage)
    {
        response.Headers.TryAddWithoutValidation("Sforce-Limit-Info", usage);
        return response;
    }

    [Fact]
    public async Task Events_InOrder_WithAttempts()
    {
        var handler = new DelegateHandler((_, n, _) => Task.FromResult(n < 3
            ? WithUsage(DelegateHandler.Json(HttpStatusCode.ServiceUnavailable, "[]"), $"api-usage={n}/5000")
            : WithUsage(DelegateHandler.Json(HttpStatusCode.OK, RecordJson), "api-usage=3/5000;per-app-api-usage=2/250(appName=sdk-tests)")));
        using var client = Client(handler);
        var seen = new List<SalesforceEvent>();
        client.Events.Subscribe<SalesforceEvent>(e =>
        {
            lock (seen)
            {
                seen.Add(e);
            }
        });

        await client.SObjects.GetAsync("Account", AccountId);
        await client.FlushEventsAsync();

        Assert.Equal(
            ["RequestEvent", "RestApiCallConsumptionEvent", "RetryEvent", "RestApiCallConsumptionEvent", "RetryEvent", "RestApiCallConsumptionEvent", "ResponseEvent"],
            seen.Select(e => e.GetType().Name));
        Assert.All(seen, e => Assert.Equal(seen[0].RequestId, e.RequestId));
        var retries = seen.OfType<RetryEvent>().ToArray();
        Assert.Equal([1, 2], retries.Select(r => r.Attempt));
        Assert.All(retries, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode));
        var response = Assert.Single(seen.OfType<ResponseEvent>());
        Assert.Equal(3, response.Attempts);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var last = seen.OfType<RestApiCallConsumptionEvent>().Last();
        Assert.Equal(3, last.Consumed);
        Assert.Equal(5000, last.Limit);
        Assert.Equal(2, last.Usage.AppConsumed);
        Assert.Equal(250, last.Usage.AppLimit);
        Assert.Equal("sdk-tests", last.Usage.AppName);
        Assert.Equal(3, client.LastApiUsage!.Consumed);
    }

    [Fact]
    public async Task RequestEvent_HasNoAuthorizationHeader_AndPathWithoutQuery()
    {
        var handler = new DelegateHandler((_, _, _) => Task.FromResult(DelegateHandler.Json(HttpStatusCode.OK, RecordJson)));
        using var client = Client(handler);
        RequestEvent? request = null;
        client.Events.Subscribe<RequestEvent>(e => request = e);
        await client.SObjects.GetAsync("Account", AccountId, ["Name"]);
        await client.FlushEventsAsync();
        Assert.NotNull(request);
        Assert.DoesNotContain(request!.Headers, h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(request.Headers, h => h.Value.Contains(TestClients.Token, StringComparison.Ordinal));
        Assert.Equal("/services/data/v66.0/sobjects/Account/001Da00000xnAk6IAE", request.Path);
        Assert.StartsWith("Bearer ", handler.Requests[0].Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThrowingHook_IsLogged_RequestSucceeds()
    {
        var logger = new ListLogger();
        var handler = new DelegateHandler((_, _, _) => Task.FromResult(DelegateHandler.Json(HttpStatusCode.OK, RecordJson)));
        using var client = Client(handler, logger);
        client.Events.Subscribe<ResponseEvent>(_ => throw new InvalidOperationException("hook bug"));
        var record = await client.SObjects.GetAsync("Account", AccountId);
        await client.FlushEventsAsync();
        Assert.Equal("Acme", (string?)record["Name"]);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task BlockingSyncHook_DoesNotBlockRequests()
    {
        var handler = new DelegateHandler((_, _, _) => Task.FromResult(DelegateHandler.Json(HttpStatusCode.OK, RecordJson)));
        using var client = Client(handler);
        using var gate = new ManualResetEventSlim(false);
        var handled = 0;
        client.Events.Subscribe<RequestEvent>(_ =>
        {
            gate.Wait(TimeSpan.FromSeconds(30));
            Interlocked.Increment(ref handled);
        });

        for (var i = 0; i < 5; i++)
        {
            await client.SObjects.GetAsync("Account", AccountId).WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.Equal(0, Volatile.Read(ref handled));
        gate.Set();
        await client.FlushEventsAsync();
        Assert.Equal(5, handled);
    }

    [Fact]
    public async Task AsyncHook_And_Unsubscribe()
    {
        var handler = new DelegateHandler((_, _, _) => Task.FromResult(DelegateHandler.Json(HttpStatusCode.OK, RecordJson)));
        using var client = Client(handler);
        var count = 0;
        var subscription = client.Events.Subscribe<ResponseEvent>(async (_, ct) =>
        {
            await Task.Yield();
            Interlocked.Increment(ref count);
        });
        await client.SObjects.GetAsync("Account", AccountId);
        await client.FlushEventsAsync();
        subscription.Dispose();
        await client.SObjects.GetAsync("Account", AccountId);
        await client.FlushEventsAsync();
        Assert.Equal(1, count);
    }

    [Fact]
    public async Task HooksGivenInOptions_AreUsed()
    {
        var handler = new DelegateHandler((_, _, _) => Task.FromResult(DelegateHandler.Json(HttpStatusCode.OK, RecordJson)));
        var options = new SalesforceClientOptions
        {
            InstanceUrl = new Uri(TestClients.Instance),
            Authenticator = new AccessTokenAuthenticator(TestClients.Token, new Uri(TestClients.Instance)),
        };
        var responses = 0;
        options.Events.Subscribe<ResponseEvent>(_ => Interlocked.Increment(ref responses));
        using var client = new SalesforceClient(new HttpClient(handler), options);
        await client.SObjects.GetAsync("Account", AccountId);
        await client.FlushEventsAsync();
        Assert.Equal(1, responses);
    }

    [Theory]
    [InlineData("api-usage=25/5000", 25L, 5000L, null, null, null)]
    [InlineData("api-usage=25/5000;per-app-api-usage=17/250(appName=x)", 25L, 5000L, 17L, 250L, "x")]
    [InlineData("per-app-api-usage=17/250(appName=my app)", null, null, 17L, 250L, "my app")]
    [InlineData(" api-usage = 1/15000 ; ", 1L, 15000L, null, null, null)]
    public void ApiUsage_Parse_Forms(string header, long? used, long? limit, long? appUsed, long? appLimit, string? app)
    {
        var usage = ApiUsage.Parse(header)!;
        Assert.Equal(used, usage.Consumed);
        Assert.Equal(limit, usage.Limit);
        Assert.Equal(appUsed, usage.AppConsumed);
        Assert.Equal(appLimit, usage.AppLimit);
        Assert.Equal(app, usage.AppName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("api-usage=abc/def")]
    public void ApiUsage_Parse_Absent_IsNull(string? header) => Assert.Null(ApiUsage.Parse(header));
}
