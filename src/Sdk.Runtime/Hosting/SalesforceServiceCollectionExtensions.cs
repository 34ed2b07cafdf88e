using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sdk.Runtime;
using Sdk.Runtime.Http.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="SalesforceClient"/>s in a service collection, over <c>IHttpClientFactory</c>.</summary>
public static class SalesforceServiceCollectionExtensions
{
    /// <summary>The prefix of the <c>IHttpClientFactory</c> client names the SDK registers (followed by the client's name).</summary>
    public const string HttpClientNamePrefix = "Sdk.Runtime.Salesforce:";

    /// <summary>
    /// Registers the default <see cref="SalesforceClient"/> (a singleton, injectable directly). Requests go through the SDK's
    /// pipeline (events, concurrency limit, retries, auth) and then an <c>IHttpClientFactory</c> client, whose handlers the
    /// returned builder configures (primary handler, extra handlers, lifetime).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options (authenticator, instance URL, API version, …); runs once, when the client is first needed.</param>
    public static IHttpClientBuilder AddSalesforceClient(this IServiceCollection services, Action<SalesforceClientOptions> configure)
        => services.AddSalesforceClient(Options.Options.DefaultName, configure);

    /// <summary>
    /// Registers a named <see cref="SalesforceClient"/> configured from a configuration section (see
    /// <see cref="SalesforceConfiguration.Apply"/> for the keys), then by <paramref name="configure"/> when given.
    /// </summary>
    public static IHttpClientBuilder AddSalesforceClient(this IServiceCollection services, string name, Microsoft.Extensions.Configuration.IConfiguration section, Action<SalesforceClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        return services.AddSalesforceClient(name, options =>
        {
            SalesforceConfiguration.Apply(section, options);
            configure?.Invoke(options);
        });
    }

    /// <summary>
    /// Registers a named <see cref="SalesforceClient"/>, one per org; resolve it with
    /// <see cref="ISalesforceClientFactory.GetClient(string)"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The client's name.</param>
    /// <param name="configure">Sets the options; runs once, when the client is first needed.</param>
    public static IHttpClientBuilder AddSalesforceClient(this IServiceCollection services, string name, Action<SalesforceClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<SalesforceClientOptions>(name).Configure(configure);
        services.TryAddSingleton<ISalesforceClientFactory, SalesforceClientFactory>();
        if (name == Options.Options.DefaultName)
        {
            services.TryAddSingleton(sp => sp.GetRequiredService<ISalesforceClientFactory>().GetClient(Options.Options.DefaultName));
        }

        // The SDK's retry policy governs time limits; the factory client's own 100 s timeout would cut retries and long pages short.
        return services.AddHttpClient(HttpClientNamePrefix + name, client => client.Timeout = Timeout.InfiniteTimeSpan);
    }
}

/// <summary>The registered <see cref="SalesforceClient"/>s by name (one per org), created on first use and owned by the container.</summary>
public interface ISalesforceClientFactory
{
    /// <summary>The client registered under <paramref name="name"/>.</summary>
    /// <exception cref="InvalidOperationException">No client was registered under that name.</exception>
    SalesforceClient GetClient(string name);
}

internal sealed class SalesforceClientFactory(IServiceProvider services, IHttpClientFactory httpClients, IOptionsMonitor<SalesforceClientOptions> options) : ISalesforceClientFactory, IAsyncDisposable, IDisposable
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<SalesforceClient>> _clients = new(StringComparer.Ordinal);

    public SalesforceClient GetClient(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _clients.GetOrAdd(name, n => new Lazy<SalesforceClient>(() => Create(n))).Value;
    }

    private SalesforceClient Create(string name)
    {
        var configured = options.Get(name);
        if (configured.Authenticator is null)
        {
            throw new InvalidOperationException($"No Salesforce client named '{name}' is registered (or its options set no Authenticator); call services.AddSalesforceClient(\"{name}\", o => …).");
        }

        configured.Logger ??= services.GetService<ILoggerFactory>()?.CreateLogger("Sdk.Runtime.SalesforceClient." + (name.Length == 0 ? "Default" : name));

        // A fresh factory client per request: the factory rotates its handlers, and the SDK's pipeline (token, retries,
        // concurrency limit, events) stays one per org.
        var httpName = SalesforceServiceCollectionExtensions.HttpClientNamePrefix + name;
#pragma warning disable CA2000 // The client owns and disposes its handler chain.
        return SalesforceClient.CreateWithHandler(configured, new HttpClientForwardingHandler(() => httpClients.CreateClient(httpName)));
#pragma warning restore CA2000
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values.Where(c => c.IsValueCreated))
        {
            client.Value.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values.Where(c => c.IsValueCreated))
        {
            await client.Value.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>Reads <see cref="SalesforceClientOptions"/> from configuration, without reflection.</summary>
public static class SalesforceConfiguration
{
    /// <summary>
    /// Applies a configuration section (for example <c>Salesforce</c> or <c>Salesforce:Orgs:sales</c>) to options. Keys:
    /// <c>Flow</c> (<c>Password</c>, <c>ClientCredentials</c>, <c>JwtBearer</c>, <c>RefreshToken</c>, <c>AccessToken</c>,
    /// <c>SoapLogin</c>, <c>SalesforceCli</c>), <c>LoginUrl</c>, <c>InstanceUrl</c>, <c>ClientId</c>, <c>ClientSecret</c>,
    /// <c>Username</c>, <c>Password</c>, <c>SecurityToken</c>, <c>PrivateKeyFile</c>, <c>RefreshToken</c>,
    /// <c>AccessToken</c>, <c>TargetOrg</c>, <c>ApiVersion</c>, <c>MaxConcurrentRequests</c>, <c>QueryBatchSize</c>.
    /// Keep secrets in user secrets, environment variables or a vault provider, not in files in source control.
    /// </summary>
    /// <exception cref="InvalidOperationException">A key is missing or malformed; the message names it (never its value).</exception>
    public static void Apply(Microsoft.Extensions.Configuration.IConfiguration section, SalesforceClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(options);
        string? Get(string key) => section[key] is { Length: > 0 } value ? value : null;
        string Require(string key) => Get(key) ?? throw new InvalidOperationException($"Salesforce configuration: '{key}' is required for the {Get("Flow")} flow.");
        Uri? Url(string key) => Get(key) is { } text
            ? Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : throw new InvalidOperationException($"Salesforce configuration: '{key}' is not an absolute URL.")
            : null;
        int? Int(string key) => Get(key) is { } text
            ? int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : throw new InvalidOperationException($"Salesforce configuration: '{key}' is not a whole number.")
            : null;

        if (Url("InstanceUrl") is { } instance)
        {
            options.InstanceUrl = instance;
        }

        if (Get("ApiVersion") is { } version)
        {
            options.ApiVersion = ApiVersion.TryParse(version, out var parsed) ? parsed : throw new InvalidOperationException("Salesforce configuration: 'ApiVersion' is not a version such as 66.0.");
        }

        if (Int("MaxConcurrentRequests") is { } concurrency)
        {
            options.MaxConcurrentRequests = concurrency;
        }

        if (Int("QueryBatchSize") is { } batch)
        {
            options.QueryBatchSize = batch;
        }

        var login = Url("LoginUrl");
        options.Authenticator = Get("Flow") switch
        {
            null => options.Authenticator,
            "Password" => new Sdk.Runtime.Auth.PasswordAuthenticator(Require("ClientId"), Get("ClientSecret"), Require("Username"), Require("Password") + (Get("SecurityToken") ?? string.Empty), login),
            "ClientCredentials" => new Sdk.Runtime.Auth.ClientCredentialsAuthenticator(Url("LoginUrl") ?? throw new InvalidOperationException("Salesforce configuration: 'LoginUrl' (the My Domain URL) is required for the ClientCredentials flow."), Require("ClientId"), Require("ClientSecret")),
            "JwtBearer" => Sdk.Runtime.Auth.JwtBearerAuthenticator.FromPem(Require("ClientId"), Require("Username"), File.ReadAllText(Require("PrivateKeyFile")), login),
            "RefreshToken" => new Sdk.Runtime.Auth.RefreshTokenAuthenticator(Require("ClientId"), Require("RefreshToken"), Get("ClientSecret"), login),
            "AccessToken" => new Sdk.Runtime.Auth.AccessTokenAuthenticator(Require("AccessToken"), Url("InstanceUrl") ?? throw new InvalidOperationException("Salesforce configuration: 'InstanceUrl' is required for the AccessToken flow.")),
            "SoapLogin" => new Sdk.Runtime.Auth.SoapLoginAuthenticator(Require("Username"), Require("Password"), Get("SecurityToken"), login),
            "SalesforceCli" => new Sdk.Runtime.Auth.SalesforceCliAuthenticator(Require("TargetOrg")),
            var other => throw new InvalidOperationException($"Salesforce configuration: 'Flow' is '{other}'; use Password, ClientCredentials, JwtBearer, RefreshToken, AccessToken, SoapLogin or SalesforceCli."),
        };
    }
}
