using System.CommandLine;
using Sdk.Runtime;
using Sdk.Runtime.Auth;

namespace Sdk.Cli.Describe.Commands;

/// <summary>
/// How the tool connects, shared by every command. Each option can come from an environment variable instead, so secrets need
/// not appear on the command line (or in shell history).
/// </summary>
public static class ConnectionOptions
{
    /// <summary>An org the Salesforce CLI is logged in to.</summary>
    public static readonly Option<string?> TargetOrg = new("--target-org", "-o") { Description = "Alias or user name of an org the Salesforce CLI (sf) is logged in to. Env: SF_TARGET_ORG." };

    /// <summary>The org's instance (My Domain) URL.</summary>
    public static readonly Option<string?> InstanceUrl = new("--instance-url") { Description = "The org's instance or My Domain URL, e.g. https://acme.my.salesforce.com. Env: SF_INSTANCE_URL." };

    /// <summary>An access token (session id).</summary>
    public static readonly Option<string?> AccessToken = new("--access-token") { Description = "An access token for --instance-url. Prefer the env variable SF_ACCESS_TOKEN." };

    /// <summary>The login host for the password and JWT flows.</summary>
    public static readonly Option<string?> LoginUrl = new("--login-url") { Description = "Login host for the password and JWT flows (default https://login.salesforce.com). Env: SF_LOGIN_URL." };

    /// <summary>The connected app's consumer key.</summary>
    public static readonly Option<string?> ClientId = new("--client-id") { Description = "Connected app consumer key. Env: SF_CLIENT_ID." };

    /// <summary>The connected app's consumer secret.</summary>
    public static readonly Option<string?> ClientSecret = new("--client-secret") { Description = "Connected app consumer secret. Prefer the env variable SF_CLIENT_SECRET." };

    /// <summary>The user name.</summary>
    public static readonly Option<string?> Username = new("--username", "-u") { Description = "User name (password and JWT flows). Env: SF_USERNAME." };

    /// <summary>The password (with the security token appended when the org needs it).</summary>
    public static readonly Option<string?> Password = new("--password") { Description = "Password, with the security token appended if needed. Prefer the env variable SF_PASSWORD." };

    /// <summary>The private key of the JWT bearer flow.</summary>
    public static readonly Option<string?> JwtKeyFile = new("--jwt-key-file") { Description = "PEM file of the private key for the JWT bearer flow (with --client-id and --username). Env: SF_JWT_KEY_FILE." };

    /// <summary>The API version.</summary>
    public static readonly Option<string?> ApiVersion = new("--api-version") { Description = "API version, e.g. 62.0 (default: the SDK's default). Env: SF_API_VERSION." };

    /// <summary>Adds the options to a command.</summary>
    public static void AddTo(Command command)
    {
        foreach (var option in new Option[] { TargetOrg, InstanceUrl, AccessToken, LoginUrl, ClientId, ClientSecret, Username, Password, JwtKeyFile, ApiVersion })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The flow the options (or environment) select, described without secrets, e.g. "password (user@x.com)".</summary>
    public sealed record Connection(SalesforceClientOptions Options, string Flow);

    /// <summary>Builds the client options from the parsed command line, falling back to the environment.</summary>
    /// <exception cref="UsageException">The options do not make a complete connection, or a URL is not valid.</exception>
    public static Connection Resolve(ParseResult result, CliContext context)
    {
        string? Get(Option<string?> option, string variable)
        {
            var value = result.GetValue(option);
            return string.IsNullOrWhiteSpace(value) ? NullIfEmpty(context.Environment(variable)) : value;
        }

        var targetOrg = Get(TargetOrg, "SF_TARGET_ORG");
        var instanceUrl = Get(InstanceUrl, "SF_INSTANCE_URL");
        var accessToken = Get(AccessToken, "SF_ACCESS_TOKEN");
        var loginUrl = Get(LoginUrl, "SF_LOGIN_URL");
        var clientId = Get(ClientId, "SF_CLIENT_ID");
        var clientSecret = Get(ClientSecret, "SF_CLIENT_SECRET");
        var username = Get(Username, "SF_USERNAME");
        var password = Get(Password, "SF_PASSWORD");
        var keyFile = Get(JwtKeyFile, "SF_JWT_KEY_FILE");
        var version = Get(ApiVersion, "SF_API_VERSION");

        var options = new SalesforceClientOptions();
        if (version is not null)
        {
            options.ApiVersion = Sdk.Runtime.ApiVersion.TryParse(version, out var parsed)
                ? parsed
                : throw new UsageException($"--api-version '{version}' is not an API version such as 62.0.");
        }

        Uri? Url(string? text, string name)
        {
            if (text is null)
            {
                return null;
            }

            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
            {
                throw new UsageException($"{name} '{text}' is not an https URL (http is allowed only for loopback).");
            }

            return uri;
        }

        var instance = Url(instanceUrl, "--instance-url");
        var login = Url(loginUrl, "--login-url");
        if (targetOrg is not null)
        {
            options.Authenticator = new SalesforceCliAuthenticator(targetOrg);
            return new(options, $"sf CLI org '{targetOrg}'");
        }

        if (accessToken is not null)
        {
            options.InstanceUrl = instance ?? throw new UsageException("--access-token needs --instance-url (or SF_INSTANCE_URL).");
            options.Authenticator = new AccessTokenAuthenticator(accessToken, instance);
            return new(options, "access token");
        }

        if (keyFile is not null)
        {
            if (clientId is null || username is null)
            {
                throw new UsageException("The JWT flow needs --client-id and --username with --jwt-key-file.");
            }

            string pem;
            try
            {
                pem = File.ReadAllText(keyFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"--jwt-key-file '{keyFile}' cannot be read: {ex.Message}");
            }

            try
            {
                options.Authenticator = JwtBearerAuthenticator.FromPem(clientId, username, pem, login);
            }
            catch (Exception ex) when (ex is ArgumentException or System.Security.Cryptography.CryptographicException)
            {
                throw new UsageException($"--jwt-key-file '{keyFile}' is not a PEM private key.");
            }

            return new(options, $"JWT bearer ({username})");
        }

        if (username is not null && password is not null)
        {
            if (clientId is null)
            {
                throw new UsageException("The password flow needs --client-id (and --client-secret when the connected app requires it).");
            }

            options.Authenticator = new PasswordAuthenticator(clientId, clientSecret, username, password, login);
            return new(options, $"password ({username})");
        }

        if (clientId is not null && clientSecret is not null)
        {
            var domain = instance ?? throw new UsageException("The client credentials flow needs --instance-url (the org's My Domain URL).");
            options.Authenticator = new ClientCredentialsAuthenticator(domain, clientId, clientSecret);
            return new(options, "client credentials");
        }

        throw new UsageException(
            "No connection: give --target-org; or --instance-url with --access-token; or --client-id, --username and --password (or --jwt-key-file); "
            + "or --instance-url, --client-id and --client-secret. Each can also come from its SF_* environment variable.");
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

/// <summary>A command-line mistake: the message says what to give instead. Exit code <see cref="ExitCodes.Usage"/>.</summary>
public sealed class UsageException(string message) : Exception(message);
