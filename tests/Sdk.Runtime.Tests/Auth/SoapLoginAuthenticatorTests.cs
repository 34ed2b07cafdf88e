using System.Net;
using RichardSzalay.MockHttp;
using Sdk.Runtime.Auth;
using Sdk.Runtime.Errors;
using Sdk.Runtime.Tests.TestSupport;

namespace Sdk.Runtime.Tests.Auth;

public class SoapLoginAuthenticatorTests
{
    private const string Success = """
        <?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><loginResponse><result><metadataServerUrl>https://acme.my.salesforce.com/services/Soap/m/66.0/00D000000000001</metadataServerUrl><passwordExpired>false</passwordExpired><sandbox>false</sandbox><serverUrl>https://acme.my.salesforce.com/services/Soap/u/66.0/00D000000000001</serverUrl><sessionId>00D000000000001!AQ0AQSession</sessionId><userId>005000000000001AAA</userId><userInfo><organizationId>00D000000000001EAA</organizationId><sessionSecondsValid>7200</sessionSecondsValid><userName>u@acme.com</userName></userInfo></result></loginResponse></soapenv:Body></soapenv:Envelope>
        """;

    private const string Fault = """
        <?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_LOGIN</faultcode><faultstring>INVALID_LOGIN: Invalid username, password, security token; or user locked out.</faultstring><detail><sf:LoginFault xsi:type="sf:LoginFault"><sf:exceptionCode>INVALID_LOGIN</sf:exceptionCode><sf:exceptionMessage>Invalid username, password, security token; or user locked out.</sf:exceptionMessage></sf:LoginFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>
        """;

    [Fact]
    public async Task Login_Success_SessionAndLifetime()
    {
        string? body = null;
        var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Post, "https://login.salesforce.com/services/Soap/u/66.0")
            .WithHeaders("SOAPAction", "login")
            .With(r =>
            {
                body = r.Content!.ReadAsStringAsync().GetAwaiter().GetResult();
                return true;
            })
            .Respond("text/xml", Success);
        var clock = new ManualTimeProvider();
        using var auth = new SoapLoginAuthenticator("u@acme.com", "p<&>w", "TOKEN", httpClient: mock.ToHttpClient(), timeProvider: clock);
        var token = await auth.GetTokenAsync();
        Assert.Equal("00D000000000001!AQ0AQSession", token.AccessToken);
        Assert.Equal(new Uri("https://acme.my.salesforce.com/"), token.InstanceUrl);
        Assert.Equal(clock.GetUtcNow().AddSeconds(7200), token.ExpiresAt);
        Assert.Contains("<n1:password>p&lt;&amp;&gt;wTOKEN</n1:password>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_Fault_AuthenticationExceptionWithCode()
    {
        var mock = new MockHttpMessageHandler();
        mock.When("*").Respond(HttpStatusCode.InternalServerError, "text/xml", Fault);
        using var auth = new SoapLoginAuthenticator("u@acme.com", "wrong", httpClient: mock.ToHttpClient());
        var ex = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => auth.GetTokenAsync().AsTask());
        Assert.Equal("INVALID_LOGIN", ex.ErrorCode);
        Assert.Contains("Invalid username, password, security token", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_NotXml_ClearError()
    {
        var mock = new MockHttpMessageHandler();
        mock.When("*").Respond(HttpStatusCode.ServiceUnavailable, "text/plain", "down for maintenance");
        using var auth = new SoapLoginAuthenticator("u", "p", httpClient: mock.ToHttpClient());
        var ex = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => auth.GetTokenAsync().AsTask());
        Assert.Contains("not XML", ex.Message, StringComparison.Ordinal);
    }
}
