using System.Net;
using System.Text.Json.Nodes;
using Sdk.Runtime.Auth;
using Sdk.Runtime.Errors;
using Sdk.Runtime.Events;
using Sdk.Runtime.Http;
using Sdk.Runtime.Records;
using Sdk.Runtime.Tests.TestSupport;

namespace Sdk.Runtime.Tests.Http;

public class RetryPolicyTests
{
    private static readonly SalesforceId AccountId = SalesforceId.Parse("001Da00000xnAk6IAE");
    private const string RecordJson = """{"attributes":{"type":"Account"},"Id":"001Da00000xnAk6IAE","Name":"Acme"}""";

    private static SalesforceClient Client(DelegateHandler handler, RetryPolicy? policy = null, TimeProvider? time = null)
    {
        var options = new SalesforceClientOptions
        {
            InstanceUrl = new Uri(TestClients.Instance),
            Authenticator = new AccessTokenAuthenticator(TestClients.Token, new Uri(TestClients.Instance)),
            RetryPolicy = policy ?? TestClients.FastRetry(),
            TimeProvider = time ?? new ManualTimeProvider(),
        };
        return new SalesforceClient(new HttpClient(handler), options);
    }

    private static Task<HttpResponseMessage> Respond(HttpStatusCode status, string body = "[]")
        => Task.FromResult(DelegateHandler.Json(status, body));

    [Fact]
    public async Task ServerError_RetriedThreeTimes_ThenRaised()
    {
        var handler = new DelegateHandler((_, _, _) => Respond(HttpStatusCode.ServiceUnavailable, """[{"errorCode":"SERVER_UNAVAILABLE","message":"down"}]"""));
        using var client = Client(handler);
        var ex = await Assert.ThrowsAsync<SalesforceServerException>(() => client.SObjects.GetAsync("Account", AccountId));
        Assert.Equal(4, handler.Count);
        Assert.Equal("SERVER_UNAVAILABLE", ex.ErrorCode);
        Assert.Equal("GET", ex.RequestMethod);
        Assert.Equal("/services/data/v66.0/sobjects/Account/001Da00000xnAk6IAE", ex.RequestPath);
    }

    [Fact]
    public async Task FirstMatchingRuleDecides_LaterRulesNotConsulted()
    {
        var policy = new RetryPolicy { BaseDelay = TimeSpan.Zero, Timeout = Timeout.InfiniteTimeSpan };
        var laterConsulted = 0;
        policy.ResponseRules.Add(new ResponseRule(r => r.StatusCode == HttpStatusCode.ServiceUnavailable, maxRetries: 1, name: "first"));
        policy.ResponseRules.Add(new ResponseRule(r =>
        {
            Interlocked.Increment(ref laterConsulted);
            return true;
        }, maxRetries: 5, name: "second"));
        var handler = new DelegateHandler((_, _, _) => Respond(HttpStatusCode.ServiceUnavailable));
        using var client = Client(handler, policy);
        await Assert.ThrowsAsync<SalesforceServerException>(() => client.SObjects.GetAsync("Account", AccountId));
        Assert.Equal(2, handler.Count);
        Assert.Equal(0, laterConsulted);
    }

    [Fact]
    public async Task NonMatchingRuleSkipped_NextRuleRetries()
    {
        var policy = new RetryPolicy { BaseDelay = TimeSpan.Zero, Timeout = Timeout.InfiniteTimeSpan };
        policy.ResponseRules.Add(ResponseRule.ForStatusCodes(5, HttpStatusCode.TooManyRequests));
        policy.ResponseRules.Add(new ResponseRule(r => (int)r.StatusCode >= 500, maxRetries: 2, name: "fives"));
        var handler = new DelegateHandler((_, n, _) => n <= 2 ? Respond(HttpStatusCode.BadGateway) : Respond(HttpStatusCode.OK, RecordJson));
        using var client = Client(handler, policy);
        var record = await client.SObjects.GetAsync("Account", AccountId);
        Assert.Equal("Acme", (string?)record["Name"]);
        Assert.Equal(3, handler.Count);
    }

    [Fact]
    public async Task GlobalMaxRetries_CapsEveryRule()
    {
        var policy = new RetryPolicy { BaseDelay = TimeSpan.Zero, Timeout = Timeout.InfiniteTimeSpan, MaxRetries = 2 };
        policy.ResponseRules.Add(ResponseRule.ServerErrors(maxRetries: 10));
        var handler = new DelegateHandler((_, _, _) => Respond(HttpStatusCode.InternalServerError));
        using var client = Client(handler, policy);
        await Assert.ThrowsAsync<SalesforceServerException>(() => client.SObjects.GetAsync("Account", AccountId));
        Assert.Equal(3, handler.Count);
    }

    [Fact]
    public async Task NoRuleMatches_RaisedAtOnce()
    {
        var handler = new DelegateHandler((_, _, _) => Respond(HttpStatusCode.BadRequest, TestClients.Fixture("errors/create-invalid-field.400.json")));
        using var client = Client(handler);
        var ex = await Assert.ThrowsAsync<SalesforceException>(() => client.SObjects.CreateAsync("Account", new JsonObject { ["FavoritePet__c"] = "cat" }));
        Assert.Equal(1, handler.Count);
        Assert.Equal("INVALID_FIELD", ex.ErrorCode);
    }

    [Fact]
    public async Task LockContention_Retried_ThenSucceeds()
    {
        var handler = new DelegateHandler((_, n, _) => n == 1
            ? Respond(HttpStatusCode.BadRequest, """[{"message":"unable to obtain exclusive access to this record","errorCode":"UNABLE_TO_LOCK_ROW","fields":[]}]""")
            : Respond(HttpStatusCode.NoContent, string.Empty));
        using var client = Client(handler);
        await client.SObjects.UpdateAsync("Account", AccountId, new JsonObject { ["Name"] = "x" });
        Assert.Equal(2, handler.Count);
        Assert.Equal(handler.Requests[0].Body, handler.Requests[1].Body);
    }

    [Fact]
    public async Task RetryAfterSeconds_Honoured()
    {
        var time = new ManualTimeProvider();
        var handler = new DelegateHandler((_, n, _) =>
        {
            if (n == 1)
            {
                var r = DelegateHandler.Json(HttpStatusCode.TooManyRequests, "[]");
                r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
                return Task.FromResult(r);
            }

            return Respond(HttpStatusCode.OK, RecordJson);
        });
        var policy = TestClients.FastRetry();
        policy.BaseDelay = TimeSpan.FromSeconds(1);
        using var client = Client(handler, policy, time);
        var retries = new List<RetryEvent>();
        client.Events.Subscribe<RetryEvent>(retries.Add);
        await client.SObjects.GetAsync("Account", AccountId);
        await client.FlushEventsAsync();
        Assert.Equal(TimeSpan.FromSeconds(7), Assert.Single(retries).Delay);
        Assert.Equal("request-limit", retries[0].Rule);
        Assert.Contains(TimeSpan.FromSeconds(7), time.Delays);
    }

    [Fact]
    public async Task RetryAfterDate_HonouredRelativeToClock()
    {
        var time = new ManualTimeProvider();
        var handler = new DelegateHandler((_, n, _) =>
        {
            if (n == 1)
            {
                var r = DelegateHandler.Json(HttpStatusCode.ServiceUnavailable, "[]");
                r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(time.GetUtcNow().AddSeconds(12));
                return Task.FromResult(r);
            }

            return Respond(HttpStatusCode.OK, RecordJson);
        });
        using var client = Client(handler, time: time);
        await client.SObjects.GetAsync("Account", AccountId);
        Assert.Contains(TimeSpan.FromSeconds(12), time.Delays);
    }

    [Fact]
    public async Task BackoffIsExponentialAndCapped()
    {
        var time = new ManualTimeProvider();
        var policy = new RetryPolicy { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(5), UseJitter = false, Timeout = Timeout.InfiniteTimeSpan };
        policy.ResponseRules.Add(ResponseRule.ServerErrors(maxRetries: 5));
        var handler = new DelegateHandler((_, _, _) => Respond(HttpStatusCode.InternalServerError));
        using var client = Client(handler, policy, time);
        await Assert.ThrowsAsync<SalesforceServerException>(() => client.SObjects.GetAsync("Account", AccountId));
        Assert.Equal([1, 2, 4, 5, 5], time.Delays.Select(d => (int)d.TotalSeconds));
    }

    [Fact]
    public async Task Jitter_StaysWithinHalfToFullDelay()
    {
        var time = new ManualTimeProvider();
        var policy = new RetryPolicy { BaseDelay = TimeSpan.FromSeconds(8), MaxDelay = TimeSpan.FromSeconds(8), UseJitter = true, Timeout = Timeout.InfiniteTimeSpan };
        policy.ResponseRules.Add(ResponseRule.ServerErrors(maxRetries: 8));
        var handler = new DelegateHandler((_, _, _) => Respond(HttpStatusCode.InternalServerError));
        using var client = Client(handler, policy, time);
        await Assert.ThrowsAsync<SalesforceServerException>(() => client.SObjects.GetAsync("Account", AccountId));
        Assert.Equal(8, time.Delays.Count);
        Assert.All(time.Delays, d => Assert.InRange(d.TotalSeconds, 4, 8));
        Assert.True(time.Delays.Distinct().Count() > 1);
    }

    [Fact]
    public async Task OverallTimeout_RaisesTypedException()
    {
        var policy = TestClients.FastRetry();
        policy.Timeout = TimeSpan.FromMilliseconds(300);
        var handler = new DelegateHandler(async (_, _, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return DelegateHandler.Json(HttpStatusCode.OK, RecordJson);
        });
        using var client = Client(handler, policy, TimeProvider.System);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<RequestTimeoutException>(() => client.SObjects.GetAsync("Account", AccountId));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"took {started.Elapsed}");
        Assert.Equal(TimeSpan.FromMilliseconds(300), ex.Timeout);
        Assert.Contains("GET /services/data/v66.0/sobjects/Account/", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetryAfterBeyondTimeout_RaisedWithoutWaiting()
    {
        var policy = TestClients.FastRetry();
        policy.Timeout = TimeSpan.FromSeconds(5);
        var handler = new DelegateHandler((_, _, _) =>
        {
            var r = DelegateHandler.Json(HttpStatusCode.Forbidden, """[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]""");
            r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(60));
            return Task.FromResult(r);
        });
        using var client = Client(handler, policy, TimeProvider.System);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<RequestLimitExceededException>(() => client.SObjects.GetAsync("Account", AccountId));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(4));
        Assert.Equal(1, handler.Count);
        Assert.Equal(TimeSpan.FromSeconds(60), ex.RetryAfter);
    }

    [Fact]
    public async Task Post_AfterConnectFailure_Retried()
    {
        var handler = new DelegateHandler((_, n, _) => n == 1
            ? throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused")
            : Respond(HttpStatusCode.Created, """{"id":"001Da00000xnAk6IAE","success":true,"errors":[]}"""));
        using var client = Client(handler);
        Assert.Equal(AccountId, await client.SObjects.CreateAsync("Account", new JsonObject { ["Name"] = "x" }));
        Assert.Equal(2, handler.Count);
    }

    [Fact]
    public async Task Post_AfterLostResponse_NotRetried()
    {
        var handler = new DelegateHandler((_, _, _) => throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."));
        using var client = Client(handler);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.SObjects.CreateAsync("Account", new JsonObject { ["Name"] = "x" }));
        Assert.Equal(1, handler.Count);
    }

    [Fact]
    public async Task Post_AfterLostResponse_RetriedWhenOptedIn()
    {
        var policy = TestClients.FastRetry();
        policy.RetryNonIdempotentRequests = true;
        var handler = new DelegateHandler((_, n, _) => n == 1
            ? throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.")
            : Respond(HttpStatusCode.Created, """{"id":"001Da00000xnAk6IAE","success":true,"errors":[]}"""));
        using var client = Client(handler, policy);
        await client.SObjects.CreateAsync("Account", new JsonObject { ["Name"] = "x" });
        Assert.Equal(2, handler.Count);
    }

    [Fact]
    public async Task Get_AfterLostResponse_Retried()
    {
        var handler = new DelegateHandler((_, n, _) => n == 1
            ? throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.")
            : Respond(HttpStatusCode.OK, RecordJson));
        using var client = Client(handler);
        await client.SObjects.GetAsync("Account", AccountId);
        Assert.Equal(2, handler.Count);
    }

    [Fact]
    public async Task Upsert_AfterLostResponse_RetriedBecauseIdempotent()
    {
        var handler = new DelegateHandler((_, n, _) => n == 1
            ? throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.")
            : Respond(HttpStatusCode.OK, """{"id":"001Da00000xnAk6IAE","success":true,"errors":[],"created":false}"""));
        using var client = Client(handler);
        var result = await client.SObjects.UpsertAsync("Account", "Ext__c", "A-1", new JsonObject { ["Name"] = "x" });
        Assert.False(result.Created);
        Assert.Equal(2, handler.Count);
        Assert.Equal(handler.Requests[0].Body, handler.Requests[1].Body);
    }

    [Fact]
    public async Task Post_AfterServerError_RetriedBecauseServerAnswered()
    {
        var handler = new DelegateHandler((_, n, _) => n == 1
            ? Respond(HttpStatusCode.ServiceUnavailable)
            : Respond(HttpStatusCode.Created, """{"id":"001Da00000xnAk6IAE","success":true,"errors":[]}"""));
        using var client = Client(handler);
        await client.SObjects.CreateAsync("Account", new JsonObject { ["Name"] = "x" });
        Assert.Equal(2, handler.Count);
    }

    [Fact]
    public async Task Timeouts_AreNotTransportErrors_NotRetried()
    {
        var handler = new DelegateHandler((_, _, _) => throw new HttpRequestException("timed out", new TimeoutException()));
        using var client = Client(handler);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.SObjects.GetAsync("Account", AccountId));
        Assert.Equal(1, handler.Count);
    }

    [Fact]
    public async Task AsyncResponsePredicate_CanReadBody_AndCallerStillGetsIt()
    {
        var policy = new RetryPolicy { BaseDelay = TimeSpan.Zero, Timeout = Timeout.InfiniteTimeSpan };
        policy.ResponseRules.Add(new ResponseRule(async (r, ct) => (await r.Content.ReadAsStringAsync(ct)).Contains("TRY_AGAIN", StringComparison.Ordinal), 1, "body"));
        var handler = new DelegateHandler((_, _, _) => Respond(HttpStatusCode.BadRequest, """[{"errorCode":"TRY_AGAIN","message":"please"}]"""));
        using var client = Client(handler, policy);
        var ex = await Assert.ThrowsAsync<SalesforceException>(() => client.SObjects.GetAsync("Account", AccountId));
        Assert.Equal(2, handler.Count);
        Assert.Equal("TRY_AGAIN", ex.ErrorCode);
    }

    [Fact]
    public void Validate_BadSettings_Rejected()
    {
        Assert.Throws<ArgumentException>(() => new RetryPolicy { MaxRetries = -1 }.Validate());
        Assert.Throws<ArgumentException>(() => new RetryPolicy { Timeout = TimeSpan.FromMilliseconds(1) }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => ResponseRule.ServerErrors(-1));
    }
}
