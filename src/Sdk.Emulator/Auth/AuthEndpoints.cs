using System.Globalization;
using System.Net;
using System.Security;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sdk.Emulator.Rest;

namespace Sdk.Emulator.Auth;

/// <summary>The OAuth token endpoint (password, client_credentials, JWT bearer, refresh_token) and the SOAP <c>login()</c> call.</summary>
internal static class AuthEndpoints
{
    private const string JwtGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    public static void Map(IEndpointRouteBuilder app, OrgState org)
    {
        app.MapPost("/services/oauth2/token", context => TokenAsync(context, org));
        app.MapPost("/services/Soap/u/{version}", (HttpContext context, string version) => SoapLoginAsync(context, org, version));
    }

    private static async Task TokenAsync(HttpContext context, OrgState org)
    {
        if (!context.Request.HasFormContentType)
        {
            await OAuthErrorAsync(context, "invalid_request", "the request must be application/x-www-form-urlencoded");
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var options = org.Options;
        string Get(string name) => form[name].ToString();
        var grant = Get("grant_type");
        switch (grant)
        {
            case "password":
                if (Get("client_id") != options.ClientId || Get("client_secret") != options.ClientSecret)
                {
                    await OAuthErrorAsync(context, "invalid_client_id", "client identifier invalid");
                    return;
                }

                if (!CredentialsMatch(options, Get("username"), Get("password")))
                {
                    await OAuthErrorAsync(context, "invalid_grant", "authentication failure");
                    return;
                }

                break;
            case "client_credentials":
                if (Get("client_id") != options.ClientId || Get("client_secret") != options.ClientSecret)
                {
                    await OAuthErrorAsync(context, "invalid_client", "invalid client credentials");
                    return;
                }

                break;
            case JwtGrant:
                var audiences = new[] { "https://login.salesforce.com", "https://test.salesforce.com", org.InstanceBase };
                if (JwtValidator.Validate(Get("assertion"), options.JwtPublicKey, options.ClientId, options.Username, audiences, org.Time.GetUtcNow()) is { } problem)
                {
                    await OAuthErrorAsync(context, "invalid_grant", problem);
                    return;
                }

                break;
            case "refresh_token":
                if (Get("client_id") != options.ClientId || (form.ContainsKey("client_secret") && Get("client_secret") != options.ClientSecret))
                {
                    await OAuthErrorAsync(context, "invalid_client_id", "client identifier invalid");
                    return;
                }

                if (!org.Tokens.IsRefreshTokenValid(Get("refresh_token")))
                {
                    await OAuthErrorAsync(context, "invalid_grant", "expired access/refresh token");
                    return;
                }

                break;
            default:
                await OAuthErrorAsync(context, "unsupported_grant_type", "grant type not supported");
                return;
        }

        var token = org.Tokens.IssueAccessToken();
        var issued = org.Time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        await Responses.JsonAsync(context, HttpStatusCode.OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("access_token"u8, token);

            writer.WriteString("instance_url"u8, org.InstanceBase);
            writer.WriteString("id"u8, $"{org.InstanceBase}/id/{OrgState.OrganizationId}/{org.Store.UserId}");
            writer.WriteString("token_type"u8, "Bearer");
            writer.WriteString("issued_at"u8, issued);
            writer.WriteString("signature"u8, Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(issued + token))));
            writer.WriteEndObject();
        });
    }

    /// <summary>The password, with or without the security token appended (the org trusts every address, like a trusted IP range).</summary>
    private static bool CredentialsMatch(LocalOrgOptions options, string username, string password)
        => string.Equals(username, options.Username, StringComparison.OrdinalIgnoreCase)
           && (password == options.Password || password == options.Password + options.SecurityToken);

    private static Task OAuthErrorAsync(HttpContext context, string error, string description)
        => Responses.JsonAsync(context, error == "invalid_client" ? HttpStatusCode.Unauthorized : HttpStatusCode.BadRequest, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("error"u8, error);
            writer.WriteString("error_description"u8, description);
            writer.WriteEndObject();
        });

    private static async Task SoapLoginAsync(HttpContext context, OrgState org, string version)
    {
        XNamespace partner = "urn:partner.soap.sforce.com";
        string? username = null, password = null;
        try
        {
            var doc = await XDocument.LoadAsync(context.Request.Body, LoadOptions.None, context.RequestAborted);
            var login = doc.Descendants(partner + "login").FirstOrDefault();
            username = login?.Element(partner + "username")?.Value;
            password = login?.Element(partner + "password")?.Value;
        }
        catch (XmlException)
        {
        }

        context.Response.ContentType = "text/xml;charset=UTF-8";
        if (username is null || password is null || !CredentialsMatch(org.Options, username, password))
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsync(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:sf=\"urn:fault.partner.soap.sforce.com\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
                + "<soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_LOGIN</faultcode><faultstring>INVALID_LOGIN: Invalid username, password, security token; or user locked out.</faultstring>"
                + "<detail><sf:LoginFault xsi:type=\"sf:LoginFault\"><sf:exceptionCode>INVALID_LOGIN</sf:exceptionCode><sf:exceptionMessage>Invalid username, password, security token; or user locked out.</sf:exceptionMessage></sf:LoginFault></detail>"
                + "</soapenv:Fault></soapenv:Body></soapenv:Envelope>", context.RequestAborted);
            return;
        }

        var token = org.Tokens.IssueAccessToken();
        var server = $"{org.InstanceBase}/services/Soap/u/{SecurityElement.Escape(version)}/{OrgState.OrganizationId[..15]}";
        var seconds = ((long)org.Tokens.Lifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        await context.Response.WriteAsync(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns=\"urn:partner.soap.sforce.com\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
            + "<soapenv:Body><loginResponse><result>"
            + $"<metadataServerUrl>{SecurityElement.Escape(server.Replace("/u/", "/m/", StringComparison.Ordinal))}</metadataServerUrl><passwordExpired>false</passwordExpired><sandbox>false</sandbox>"
            + $"<serverUrl>{SecurityElement.Escape(server)}</serverUrl><sessionId>{SecurityElement.Escape(token)}</sessionId><userId>{org.Store.UserId}</userId>"
            + $"<userInfo><organizationId>{OrgState.OrganizationId}</organizationId><organizationName>Local Org</organizationName><sessionSecondsValid>{seconds}</sessionSecondsValid>"
            + $"<userEmail>{SecurityElement.Escape(org.Options.Username)}</userEmail><userFullName>Local Admin</userFullName><userId>{org.Store.UserId}</userId>"
            + $"<userName>{SecurityElement.Escape(org.Options.Username)}</userName></userInfo>"
            + "</result></loginResponse></soapenv:Body></soapenv:Envelope>", context.RequestAborted);
    }
}
