using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using RichardSzalay.MockHttp;
using Sdk.Runtime.Events;
using Sdk.Runtime.Records;
using Sdk.Runtime.Tests.TestSupport;

namespace Sdk.Runtime.Tests.Events;

/// <summary>Spans and metrics through System.Diagnostics, as OpenTelemetry would collect them. Other tests run in parallel, so
/// everything is filtered by an object name only these tests use.</summary>
public class TelemetryTests
{
    private const string D = TestClients.Data;

    [Fact]
    public async Task OneSpanPerCall_WithTemplateStatusAndAttempts_MetricsCounted_NoSecrets()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SalesforceTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == SalesforceTelemetry.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, Tags(tags))));
        meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, Tags(tags))));
        meters.Start();

        var id = SalesforceId.Parse("a0B000000000001");
        var calls = 0;
        using var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Get, D + "/sobjects/Telemetry__c/" + id.Value).Respond(_ =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("[]", System.Text.Encoding.UTF8, "application/json") };
            }

            var ok = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"Id":"a0B000000000001"}""", System.Text.Encoding.UTF8, "application/json") };
            ok.Headers.TryAddWithoutValidation("Sforce-Limit-Info", "api-usage=4242/15000");
            return ok;
        });
        using var client = TestClients.Create(mock);
        await client.SObjects.GetAsync<JsonObject>("Telemetry__c", id);

        var template = "/services/data/v66.0/sobjects/Telemetry__c/{id}";
        var span = Assert.Single(activities, a => a.DisplayName == "GET " + template);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal(template, span.GetTagItem("url.template"));
        Assert.Equal(200, span.GetTagItem("http.response.status_code"));
        Assert.Equal(2, span.GetTagItem("salesforce.attempts"));
        Assert.Contains(span.Events, e => e.Name == "retry");
        Assert.DoesNotContain(span.Tags, t => t.Value?.Contains(TestClients.Token, StringComparison.Ordinal) == true);

        var ours = measurements.Where(m => m.Tags.TryGetValue("url.template", out var t) && Equals(t, template)).ToList();
        var request = Assert.Single(ours, m => m.Instrument == SalesforceTelemetry.RequestsCounter);
        Assert.Equal(200, request.Tags["http.response.status_code"]);
        Assert.Single(ours, m => m.Instrument == SalesforceTelemetry.RetriesCounter);
        Assert.Single(ours, m => m.Instrument == SalesforceTelemetry.DurationHistogram);
        Assert.Contains(measurements, m => m.Instrument == SalesforceTelemetry.ApiUsageGauge && m.Value == 4242);
        Assert.Contains(measurements, m => m.Instrument == SalesforceTelemetry.ApiLimitGauge && m.Value == 15000);
    }

    private static Dictionary<string, object?> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var dictionary = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            dictionary[tag.Key] = tag.Value;
        }

        return dictionary;
    }

    [Theory]
    [InlineData("/services/data/v66.0/sobjects/Account/001000000000001AAA", "/services/data/v66.0/sobjects/Account/{id}")]
    [InlineData("/services/data/v66.0/sobjects/Account/001000000000001", "/services/data/v66.0/sobjects/Account/{id}")]
    [InlineData("/services/data/v66.0/sobjects/Account/External_Id__c/INV-42", "/services/data/v66.0/sobjects/Account/External_Id__c/{value}")]
    [InlineData("/services/data/v66.0/sobjects/Account/describe", "/services/data/v66.0/sobjects/Account/describe")]
    [InlineData("/services/data/v66.0/query/01gD0000002HU6KIAW-2000", "/services/data/v66.0/query/{locator}")]
    [InlineData("/services/data/v66.0/composite/sobjects", "/services/data/v66.0/composite/sobjects")]
    [InlineData("/services/data/v66.0/sobjects/Account", "/services/data/v66.0/sobjects/Account")]
    public void PathTemplate_ReplacesIdsCursorsAndValues(string path, string expected)
        => Assert.Equal(expected, SalesforceTelemetry.PathTemplate(path));
}
