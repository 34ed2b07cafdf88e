using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sdk.Emulator.Auth;
using Sdk.Emulator.Data;
using Sdk.Emulator.Rest;
using Sdk.Emulator.Schema;

namespace Sdk.Emulator;

/// <summary>
/// A local Salesforce org on loopback: OAuth and SOAP login, describe, sObject CRUD, SOQL with paging, limits, in Salesforce's
/// wire format and errors. Start one per test, or several side by side:
/// <code>await using var org = await LocalOrg.StartAsync(new LocalOrgOptions { Seed = 1 });</code>
/// </summary>
public sealed class LocalOrg : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly OrgState _state;
    private int _stopped;

    private LocalOrg(WebApplication app, OrgState state)
    {
        _app = app;
        _state = state;
    }

    /// <summary>The org's URL (instance and login URL alike), for example <c>http://127.0.0.1:51234</c>.</summary>
    public Uri InstanceUrl => _state.InstanceUrl;

    /// <summary>The login URL: the same host, since the org serves its own token endpoint.</summary>
    public Uri LoginUrl => _state.InstanceUrl;

    /// <summary>The user and connected-app credentials the org accepts.</summary>
    public LocalOrgCredentials Credentials => new(_state.Options.Username, _state.Options.Password, _state.Options.SecurityToken, _state.Options.ClientId, _state.Options.ClientSecret);

    /// <summary>The id of the org's user (the owner of what the API creates).</summary>
    public string UserId => _state.Store.UserId;

    /// <summary>API requests counted today (against <see cref="LocalOrgOptions.DailyApiLimit"/>).</summary>
    public long ApiRequestCount => _state.ApiUsage;

    /// <summary>How many records the org holds (deleted ones included).</summary>
    public int RecordCount
    {
        get
        {
            _state.Store.Gate.EnterReadLock();
            try
            {
                return _state.Store.Count;
            }
            finally
            {
                _state.Store.Gate.ExitReadLock();
            }
        }
    }

    /// <summary>The API names of the org's objects.</summary>
    public IReadOnlyList<string> Objects => [.. _state.Schema.Objects.Select(o => o.Name).Order(StringComparer.Ordinal)];

    internal OrgState State => _state;

    /// <summary>Starts an org on a loopback port.</summary>
    /// <exception cref="InvalidDataException">A describe or data file is not valid.</exception>
    public static async Task<LocalOrg> StartAsync(LocalOrgOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LocalOrgOptions();
        var objects = new Dictionary<string, ObjectSchema>(StringComparer.OrdinalIgnoreCase);
        if (options.IncludeBuiltInSchema)
        {
            foreach (var obj in SchemaSet.BuiltIn())
            {
                objects[obj.Name] = obj;
            }
        }

        foreach (var directory in options.SchemaDirectories)
        {
            foreach (var obj in SchemaSet.FromDirectory(directory))
            {
                objects[obj.Name] = obj;
            }
        }

        var schema = new SchemaSet(objects.Values);
        var now = options.TimeProvider.GetUtcNow();
        schema.LoadedAt = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero);
        var state = new OrgState(options, schema);
        InitializeData(state);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        // A library must not take over the process's Ctrl+C and SIGTERM: the embedding app (or Program) decides when to stop.
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, EmbeddedLifetime>();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 150L * 1024 * 1024;
            kestrel.Listen(IPAddress.Loopback, options.Port);
        });
        var app = builder.Build();
        Configure(app, state);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        state.InstanceUrl = new Uri(new Uri(address).GetLeftPart(UriPartial.Authority).Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        return new LocalOrg(app, state);
    }

    /// <summary>A valid access token, as a login would give (for tests that do not exercise a login flow).</summary>
    public string CreateAccessToken() => _state.Tokens.IssueAccessToken();

    /// <summary>A refresh token for the refresh_token grant (the org issues them as an authorization-code login would).</summary>
    public string CreateRefreshToken() => _state.Tokens.IssueRefreshToken();

    /// <summary>Ends every session: the next API call with any current token gets 401 <c>INVALID_SESSION_ID</c>.</summary>
    public void ExpireSessions() => _state.Tokens.ExpireAll();

    /// <summary>The fault injection of this org (its rules may be changed while it runs).</summary>
    public FaultInjection Faults => _state.Options.Faults;

    /// <summary>Sets how long tokens issued from now on are valid.</summary>
    public void SetTokenLifetime(TimeSpan lifetime) => _state.Tokens.Lifetime = lifetime;

    /// <summary>Adds <paramref name="count"/> generated records of an object (every required field filled) for load tests.</summary>
    /// <returns>The new records' ids.</returns>
    public Task<IReadOnlyList<string>> GenerateAsync(string sObject, int count, int seed = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var schema = _state.Schema.Find(sObject) ?? throw new ArgumentException($"The org has no object named {sObject}.", nameof(sObject));
        cancellationToken.ThrowIfCancellationRequested();
        _state.Store.Gate.EnterWriteLock();
        try
        {
            return Task.FromResult<IReadOnlyList<string>>(SeedData.Generate(_state.Store, schema, count, seed));
        }
        finally
        {
            _state.Store.Gate.ExitWriteLock();
        }
    }

    /// <summary>Saves the records to <see cref="LocalOrgOptions.DataFile"/> now (also done when the org stops).</summary>
    public Task SaveAsync(CancellationToken cancellationToken = default)
    {
        if (_state.Options.DataFile is { } path)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _state.Store.Gate.EnterReadLock();
            try
            {
                Persistence.Save(_state.Store, path);
            }
            finally
            {
                _state.Store.Gate.ExitReadLock();
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops serving and saves the records (when a data file is set).</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        await SaveAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _state.Store.Gate.Dispose();
    }

    private static void InitializeData(OrgState state)
    {
        var store = state.Store;
        if (state.Options.DataFile is { } path && File.Exists(path))
        {
            Persistence.Load(store, path);
        }

        if (string.IsNullOrEmpty(store.UserId) || store.Find(store.UserId) is null && state.Schema.Find("User") is not null)
        {
            if (state.Schema.Find("User") is { } user)
            {
                var values = new Dictionary<FieldSchema, object?>();
                void Set(string field, object? value)
                {
                    if (user.Field(field) is { } f)
                    {
                        values[f] = value;
                    }
                }

                Set("Username", state.Options.Username);
                Set("FirstName", "Local");
                Set("LastName", "Admin");
                Set("Email", state.Options.Username);
                Set("IsActive", true);
                var id = store.NewId(user);
                store.UserId = id;
                store.Insert(user, values, id);
            }
            else
            {
                store.UserId = Sdk.Runtime.Records.SalesforceId.Parse("0055e00000LOCAL").Value;
            }

            if (state.Options.Seed is { } seed)
            {
                SeedData.Populate(store, seed);
            }
        }
    }

    private static void Configure(WebApplication app, OrgState state)
    {
        app.Use(async (context, next) =>
        {
            if (state.Options.Latency > TimeSpan.Zero)
            {
                await Task.Delay(state.Options.Latency, state.Time, context.RequestAborted).ConfigureAwait(false);
            }

            try
            {
                if (IsDataApi(context.Request.Path))
                {
                    var header = context.Request.Headers.Authorization.ToString();
                    var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim()
                        : header.StartsWith("OAuth ", StringComparison.OrdinalIgnoreCase) ? header[6..].Trim()
                        : context.Request.Headers["X-SFDC-Session"].ToString() is { Length: > 0 } session ? session : null;
                    if (!state.Tokens.IsValid(token))
                    {
                        context.Response.Headers["Sforce-Limit-Info"] = $"api-usage={state.ApiUsage}/{state.Options.DailyApiLimit}";
                        await Responses.ErrorAsync(context, InvalidSession(context.Request.Path)).ConfigureAwait(false);
                        return;
                    }

                    var allowed = state.TryConsumeApiCall(out var usage);
                    context.Response.Headers["Sforce-Limit-Info"] = $"api-usage={usage}/{state.Options.DailyApiLimit}";
                    if (!allowed)
                    {
                        await Responses.ErrorAsync(context, new ApiException(HttpStatusCode.Forbidden, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")).ConfigureAwait(false);
                        return;
                    }

                    foreach (var fault in state.Options.Faults.Draw(context.Request.Method, context.Request.Path.Value ?? string.Empty))
                    {
                        if (fault.Kind == FaultKind.Latency)
                        {
                            await Task.Delay(fault.Delay, state.Time, context.RequestAborted).ConfigureAwait(false);
                            continue;
                        }

                        if (fault.Kind == FaultKind.DropAfterProcessing)
                        {
                            // Process the request into a buffer nobody reads, then drop the connection: the answer is lost.
                            context.Features.Set<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>(new StreamResponseBodyFeature(new MemoryStream()));
                            try
                            {
                                await next(context).ConfigureAwait(false);
                            }
                            catch (ApiException)
                            {
                            }

                            context.Abort();
                            return;
                        }

                        if (fault.Kind == FaultKind.DropBeforeProcessing)
                        {
                            context.Abort();
                            return;
                        }

                        if (fault.Kind == FaultKind.ExpireSession)
                        {
                            state.Tokens.ExpireAll();
                        }

                        if (fault.Kind == FaultKind.TooManyRequests)
                        {
                            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(fault.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                        }

                        await Responses.ErrorAsync(context, fault.Kind switch
                        {
                            FaultKind.ServerError => new ApiException(HttpStatusCode.InternalServerError, "UNKNOWN_EXCEPTION", "An unexpected error occurred (injected fault)."),
                            FaultKind.ServiceUnavailable => new ApiException(HttpStatusCode.ServiceUnavailable, "SERVER_UNAVAILABLE", "The server is unavailable (injected fault)."),
                            FaultKind.UnableToLockRow => new ApiException(HttpStatusCode.BadRequest, "UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record or 1 records (injected fault)"),
                            FaultKind.TooManyRequests => new ApiException(HttpStatusCode.TooManyRequests, "REQUEST_LIMIT_EXCEEDED", "Too many requests (injected fault)."),
                            FaultKind.RequestLimitExceeded => new ApiException(HttpStatusCode.Forbidden, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded (injected fault)."),
                            _ => InvalidSession(context.Request.Path),
                        }).ConfigureAwait(false);
                        return;
                    }
                }
                else
                {
                    context.Response.Headers["Sforce-Limit-Info"] = $"api-usage={state.ApiUsage}/{state.Options.DailyApiLimit}";
                }

                await next(context).ConfigureAwait(false);
            }
            catch (ApiException ex) when (!context.Response.HasStarted)
            {
                var limitInfo = context.Response.Headers["Sforce-Limit-Info"];
                context.Response.Clear();
                context.Response.Headers["Sforce-Limit-Info"] = limitInfo;
                await Responses.ErrorAsync(context, ex).ConfigureAwait(false);
            }
            catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
            {
                var limitInfo = context.Response.Headers["Sforce-Limit-Info"];
                context.Response.Clear();
                context.Response.Headers["Sforce-Limit-Info"] = limitInfo;
                await Responses.ErrorAsync(context, new ApiException(HttpStatusCode.BadRequest, "JSON_PARSER_ERROR", ex.Message)).ConfigureAwait(false);
            }
        });

        AuthEndpoints.Map(app, state);
        DataEndpoints.Map(app, state);
        CollectionsEndpoints.Map(app, state);
        CompositeEndpoints.Map(app, state);
        BulkEndpoints.Map(app, state);
        BulkV1Endpoints.Map(app, state);
        app.MapFallback(context =>
        {
            context.Response.Headers["Sforce-Limit-Info"] = $"api-usage={state.ApiUsage}/{state.Options.DailyApiLimit}";
            return Responses.ErrorAsync(context, ApiException.NotFound());
        });
    }

    /// <summary>The authenticated part of the API: everything under <c>/services/data/</c> but the version list, and Bulk API 1.0.</summary>
    /// <summary>
    /// An invalid or expired session: 401 <c>INVALID_SESSION_ID</c> on REST, 400 <c>InvalidSessionId</c> on Bulk API 1.0
    /// (<c>/services/async</c>), as Salesforce answers each.
    /// </summary>
    private static ApiException InvalidSession(PathString path)
        => path.StartsWithSegments("/services/async", StringComparison.OrdinalIgnoreCase)
            ? new ApiException(HttpStatusCode.BadRequest, "InvalidSessionId", "Invalid session id")
            : new ApiException(HttpStatusCode.Unauthorized, "INVALID_SESSION_ID", "Session expired or invalid");

    private static bool IsDataApi(PathString path)
        => (path.StartsWithSegments("/services/data", StringComparison.OrdinalIgnoreCase, out var rest) && rest.HasValue && rest.Value!.Trim('/').Length > 0)
           || path.StartsWithSegments("/services/async", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The credentials a <see cref="LocalOrg"/> accepts. <see cref="ToString"/> leaves the secrets out.</summary>
/// <param name="Username">The user name.</param>
/// <param name="Password">The password.</param>
/// <param name="SecurityToken">The security token (optional after the password).</param>
/// <param name="ClientId">The connected app's consumer key.</param>
/// <param name="ClientSecret">The connected app's consumer secret.</param>
public sealed record LocalOrgCredentials(string Username, string Password, string SecurityToken, string ClientId, string ClientSecret)
{
    /// <inheritdoc/>
    public override string ToString() => $"LocalOrgCredentials {{ Username = {Username}, ClientId = {ClientId} }}";
}

/// <summary>A host lifetime that leaves process signals alone; the org stops when <see cref="LocalOrg.StopAsync"/> is called.</summary>
internal sealed class EmbeddedLifetime : Microsoft.Extensions.Hosting.IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
