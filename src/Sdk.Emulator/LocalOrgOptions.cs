using System.Security.Cryptography;

namespace Sdk.Emulator;

/// <summary>How a <see cref="LocalOrg"/> starts: its port, schema, data, credentials, token lifetime and limits.</summary>
public sealed class LocalOrgOptions
{
    /// <summary>The loopback port; 0 picks a free one.</summary>
    /// <value>The default value is 0.</value>
    public int Port { get; set; }

    /// <summary>Whether the built-in schema (Account, Contact, Opportunity, Lead, Case, User, Task, Event, Invoice__c) is loaded.</summary>
    /// <value>The default value is true.</value>
    public bool IncludeBuiltInSchema { get; set; } = true;

    /// <summary>Directories of describe files (<c>*.json</c>, plain or as the sf CLI wraps them) to load; a file replaces a built-in object of the same name.</summary>
    public IList<string> SchemaDirectories { get; } = [];

    /// <summary>The seed of the deterministic sample data (users, accounts, contacts, opportunities); null loads none.</summary>
    /// <value>The default value is null.</value>
    public int? Seed { get; set; }

    /// <summary>
    /// Objects the user may see in the global describe but not use: their sObject resources (describe, CRUD) answer 403
    /// <c>INSUFFICIENT_ACCESS_OR_READONLY</c>, as an org does for an object the user's profile does not grant.
    /// </summary>
    public ISet<string> ForbiddenObjects { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>A file the records are saved to on shutdown and loaded from on start.</summary>
    public string? DataFile { get; set; }

    /// <summary>The user name of the org's user.</summary>
    public string Username { get; set; } = "admin@local.org";

    /// <summary>The password of the org's user.</summary>
    public string Password { get; set; } = "local-password";

    /// <summary>The security token (appended to the password by the SOAP and password flows; optional).</summary>
    public string SecurityToken { get; set; } = "LOCALTOKEN";

    /// <summary>The connected app's consumer key.</summary>
    public string ClientId { get; set; } = "local-client-id";

    /// <summary>The connected app's consumer secret.</summary>
    public string ClientSecret { get; set; } = "local-client-secret";

    /// <summary>The certificate key of the connected app, which JWT bearer assertions must be signed for; null refuses that grant.</summary>
    public RSA? JwtPublicKey { get; set; }

    /// <summary>How long an access token is valid.</summary>
    /// <value>The default value is 2 hours.</value>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>The daily API request limit; past it requests get 403 <c>REQUEST_LIMIT_EXCEEDED</c>.</summary>
    /// <value>The default value is 100,000.</value>
    public long DailyApiLimit { get; set; } = 100_000;

    /// <summary>
    /// A delay added before each API request is handled, to stand for the network between an application and a real org
    /// (tens of milliseconds there; loopback has almost none). The delay runs on <see cref="TimeProvider"/>.
    /// </summary>
    /// <value>The default value is zero.</value>
    public TimeSpan Latency { get; set; }

    /// <summary>Faults injected into API requests (errors, throttling, dropped connections, expired sessions), deterministic by seed.</summary>
    public FaultInjection Faults { get; } = new();

    /// <summary>The clock (token expiry, audit fields, date literals).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
