using System.Diagnostics;
using System.Diagnostics.Metrics;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Events;

/// <summary>
/// The names the SDK traces and measures under, with <c>System.Diagnostics</c> only, so OpenTelemetry (or any listener) picks
/// them up with <c>AddSource(SalesforceTelemetry.ActivitySourceName)</c> and <c>AddMeter(SalesforceTelemetry.MeterName)</c>.
/// </summary>
/// <remarks>
/// One span per API call (all its attempts), named <c>{method} {url.template}</c>, kind Client, with the tags
/// <c>http.request.method</c>, <c>url.template</c> (ids and cursors replaced by <c>{id}</c>, <c>{locator}</c>, <c>{value}</c>),
/// <c>server.address</c>, <c>http.response.status_code</c>, <c>salesforce.attempts</c>, and an <c>exception</c> status on
/// failure. Instruments: <see cref="RequestsCounter"/>, <see cref="RetriesCounter"/>, <see cref="DurationHistogram"/>,
/// <see cref="ApiUsageGauge"/>, <see cref="ApiLimitGauge"/> and <see cref="BulkRecordsCounter"/>. No token, header value or record data is ever recorded.
/// </remarks>
public static class SalesforceTelemetry
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> name.</summary>
    public const string ActivitySourceName = "Sdk.Runtime";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> name.</summary>
    public const string MeterName = "Sdk.Runtime";

    /// <summary>Counter of API calls (tags: method, url.template, status code).</summary>
    public const string RequestsCounter = "salesforce.client.requests";

    /// <summary>Counter of retries (tags: method, url.template, the retry rule).</summary>
    public const string RetriesCounter = "salesforce.client.retries";

    /// <summary>Histogram of API call durations in seconds, all attempts included (tags: method, url.template, status code).</summary>
    public const string DurationHistogram = "salesforce.client.request.duration";

    /// <summary>Gauge of the daily API requests the org reports as used (<c>Sforce-Limit-Info</c>).</summary>
    public const string ApiUsageGauge = "salesforce.org.api.usage";

    /// <summary>Gauge of the org's daily API request limit.</summary>
    public const string ApiLimitGauge = "salesforce.org.api.limit";

    /// <summary>
    /// Counter of rows bulk jobs processed, as each job ends (tags: <c>salesforce.bulk.operation</c>, <c>salesforce.sobject</c>,
    /// <c>salesforce.bulk.outcome</c>: <c>succeeded</c>, <c>failed</c>, <c>unprocessed</c> for ingest, <c>queried</c> for queries).
    /// </summary>
    public const string BulkRecordsCounter = "salesforce.client.bulk.records";

    private static readonly string Version = typeof(SalesforceTelemetry).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    internal static readonly ActivitySource Source = new(ActivitySourceName, Version);

    internal static readonly Meter Meter = new(MeterName, Version);

    internal static readonly Counter<long> Requests = Meter.CreateCounter<long>(RequestsCounter, "{request}", "API calls made.");

    internal static readonly Counter<long> Retries = Meter.CreateCounter<long>(RetriesCounter, "{retry}", "Requests sent again by the retry policy.");

    internal static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(DurationHistogram, "s", "How long API calls took, all attempts included.");

    internal static readonly Gauge<long> Usage = Meter.CreateGauge<long>(ApiUsageGauge, "{request}", "Daily API requests used, as the org reports.");

    internal static readonly Gauge<long> Limit = Meter.CreateGauge<long>(ApiLimitGauge, "{request}", "The org's daily API request limit.");

    internal static readonly Counter<long> BulkRecords = Meter.CreateCounter<long>(BulkRecordsCounter, "{record}", "Rows bulk jobs processed.");

    internal static void RecordBulkOutcomes(string operation, string sObject, long succeeded, long failed, long unprocessed)
    {
        RecordBulk(operation, sObject, "succeeded", succeeded);
        RecordBulk(operation, sObject, "failed", failed);
        RecordBulk(operation, sObject, "unprocessed", unprocessed);
    }

    internal static void RecordBulk(string operation, string sObject, string outcome, long count)
    {
        if (count > 0 && BulkRecords.Enabled)
        {
            BulkRecords.Add(count, new("salesforce.bulk.operation", operation), new("salesforce.sobject", sObject), new("salesforce.bulk.outcome", outcome));
        }
    }

    /// <summary>Whether anything listens: spans or request metrics.</summary>
    internal static bool IsObserved => Source.HasListeners() || Requests.Enabled || Duration.Enabled;

    internal static void RecordUsage(ApiUsage usage)
    {
        if (usage.Consumed is { } consumed && Usage.Enabled)
        {
            Usage.Record(consumed);
        }

        if (usage.Limit is { } limit && Limit.Enabled)
        {
            Limit.Record(limit);
        }
    }

    /// <summary>
    /// The path with its variable parts replaced, so spans and metrics group by endpoint: record ids become <c>{id}</c>, query
    /// cursors <c>{locator}</c>, external id values <c>{value}</c>.
    /// </summary>
    public static string PathTemplate(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (i > 0 && segments[i - 1] is "query" or "queryAll" && segment.Length > 0)
            {
                segments[i] = "{locator}";
            }
            else if (segment.Length is 15 or 18 && segment.Any(char.IsAsciiDigit) && SalesforceId.TryParse(segment, out _))
            {
                segments[i] = "{id}";
            }
            else if (i >= 3 && segments[i - 3] == "sobjects" && segments[i - 1] is not ("describe" or "updated" or "deleted"))
            {
                // sobjects/{type}/{externalIdField}/{value}
                segments[i] = "{value}";
            }
        }

        return string.Join('/', segments);
    }
}
