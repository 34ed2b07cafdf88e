using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Sdk.Runtime.Auth;
using Sdk.Runtime.Events;
using Sdk.Runtime.Http;

namespace Sdk.Runtime;

/// <summary>Settings of a <see cref="SalesforceClient"/>. Validated when the client is built.</summary>
public sealed class SalesforceClientOptions
{
    /// <summary>
    /// The org's instance URL (see <see cref="Runtime.InstanceUrl"/> for the accepted shapes). When null, the URL the login
    /// response names is used.
    /// </summary>
    /// <value>The default value is null.</value>
    public Uri? InstanceUrl { get; set; }

    /// <summary>The REST API version.</summary>
    /// <value>The default value is <see cref="ApiVersion.Default"/>.</value>
    public ApiVersion ApiVersion { get; set; } = ApiVersion.Default;

    /// <summary>Whether to ask the org for its versions (<c>GET /services/data</c>) once and use the newest instead of <see cref="ApiVersion"/>.</summary>
    /// <value>The default value is false.</value>
    public bool UseLatestApiVersion { get; set; }

    /// <summary>The login flow. Required.</summary>
    /// <value>The default value is null.</value>
    public SalesforceAuthenticator? Authenticator { get; set; }

    /// <summary>What is retried and how.</summary>
    /// <value>The default value is <see cref="RetryPolicy.CreateDefault"/>.</value>
    public RetryPolicy RetryPolicy { get; set; } = RetryPolicy.CreateDefault();

    /// <summary>Event subscriptions. Handlers may also be added to <see cref="SalesforceClient.Events"/> later.</summary>
    public SalesforceEventHooks Events { get; } = new();

    /// <summary>The most requests in flight at once.</summary>
    /// <value>The default value is 100.</value>
    public int MaxConcurrentRequests { get; set; } = 100;

    /// <summary>The clock, for token expiry, backoff and timeouts.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where requests, retries and failures are logged. Tokens and bodies are never logged.</summary>
    /// <value>The default value is null (no logging).</value>
    public ILogger? Logger { get; set; }

    /// <summary>
    /// JSON metadata for the caller's own types, for example a <c>JsonSerializerContext</c>. Consulted before the generated
    /// record registries and, where reflection is enabled, before reflection.
    /// </summary>
    /// <value>The default value is null.</value>
    public IJsonTypeInfoResolver? TypeInfoResolver { get; set; }

    /// <summary>The number of records a query page asks for (<c>Sforce-Query-Options: batchSize</c>), 200 to 2,000; null lets the server choose (2,000).</summary>
    /// <value>The default value is null.</value>
    public int? QueryBatchSize { get; set; }

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is missing or out of range; the message names it.</exception>
    public void Validate()
    {
        if (Authenticator is null)
        {
            throw new ArgumentException("SalesforceClientOptions.Authenticator is required: choose a login flow from Sdk.Runtime.Auth.", nameof(Authenticator));
        }

        if (InstanceUrl is not null)
        {
            Runtime.InstanceUrl.Normalize(InstanceUrl, nameof(InstanceUrl));
        }

        if (ApiVersion.Major == 0)
        {
            throw new ArgumentException("SalesforceClientOptions.ApiVersion is not set.", nameof(ApiVersion));
        }

        if (MaxConcurrentRequests < 1)
        {
            throw new ArgumentException($"SalesforceClientOptions.MaxConcurrentRequests must be at least 1; it is {MaxConcurrentRequests}.", nameof(MaxConcurrentRequests));
        }

        if (QueryBatchSize is < 200 or > 2000)
        {
            throw new ArgumentException($"SalesforceClientOptions.QueryBatchSize must be between 200 and 2000; it is {QueryBatchSize}.", nameof(QueryBatchSize));
        }

        ArgumentNullException.ThrowIfNull(RetryPolicy, nameof(RetryPolicy));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        RetryPolicy.Validate();
    }
}
