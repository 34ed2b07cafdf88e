using Sdk.Cli.Describe.Commands;

namespace Sdk.Cli.Describe.Tests;

/// <summary>Which login flow a command line (and environment) selects, and the mistakes it reports.</summary>
public class ConnectionOptionsTests
{
    public static TheoryData<string[], string[], string> Flows() => new()
    {
        { ["--target-org", "dev"], [], "sf CLI org 'dev'" },
        { ["-o", "dev", "--access-token", "x", "--instance-url", "https://a.my.salesforce.com"], [], "sf CLI org 'dev'" },
        { ["--instance-url", "https://a.my.salesforce.com", "--access-token", "00Dx!y"], [], "access token" },
        { ["--instance-url", "https://a.my.salesforce.com"], ["SF_ACCESS_TOKEN=00Dx!y"], "access token" },
        { [], ["SF_INSTANCE_URL=https://a.my.salesforce.com", "SF_ACCESS_TOKEN=00Dx!y"], "access token" },
        { ["--client-id", "id", "-u", "me@x.com", "--password", "pw"], [], "password (me@x.com)" },
        { [], ["SF_CLIENT_ID=id", "SF_USERNAME=me@x.com", "SF_PASSWORD=pw", "SF_LOGIN_URL=https://test.salesforce.com"], "password (me@x.com)" },
        { ["--instance-url", "https://a.my.salesforce.com", "--client-id", "id", "--client-secret", "s"], [], "client credentials" },
        { ["--instance-url", "http://127.0.0.1:5000", "--access-token", "t"], [], "access token" },
        { ["--client-id", "id", "-u", "me@x.com", "--jwt-key-file", "{key}"], [], "JWT bearer (me@x.com)" },
    };

    [Theory]
    [MemberData(nameof(Flows))]
    public void SelectsTheFlow(string[] args, string[] environment, string flow)
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var keyFile = Path.GetTempFileName();
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        try
        {
            var connection = Resolve([.. args.Select(a => a.Replace("{key}", keyFile, StringComparison.Ordinal))], environment);
            Assert.Equal(flow, connection.Flow);
            Assert.NotNull(connection.Options.Authenticator);
        }
        finally
        {
            File.Delete(keyFile);
        }
    }

    public static TheoryData<string[], string[], string> Mistakes() => new()
    {
        { [], [], "No connection: give --target-org" },
        { ["--access-token", "t"], [], "--access-token needs --instance-url" },
        { ["-u", "me@x.com", "--password", "pw"], [], "The password flow needs --client-id" },
        { ["--client-id", "id", "--jwt-key-file", "k.pem"], [], "The JWT flow needs --client-id and --username" },
        { ["--client-id", "id", "-u", "me", "--jwt-key-file", "/nonexistent/k.pem"], [], "--jwt-key-file '/nonexistent/k.pem' cannot be read" },
        { ["--client-id", "id", "--client-secret", "s"], [], "The client credentials flow needs --instance-url" },
        { ["--instance-url", "http://acme.my.salesforce.com", "--access-token", "t"], [], "is not an https URL (http is allowed only for loopback)" },
        { ["--instance-url", "not a url", "--access-token", "t"], [], "'not a url' is not an https URL" },
        { ["--target-org", "dev", "--api-version", "sixty"], [], "--api-version 'sixty' is not an API version" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void ReportsMistakes(string[] args, string[] environment, string message)
    {
        var error = Assert.Throws<UsageException>(() => Resolve(args, environment));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ApiVersion_FromOptionOrEnvironment()
    {
        Assert.Equal("61.0", Resolve(["-o", "dev", "--api-version", "61.0"], []).Options.ApiVersion.ToString());
        Assert.Equal("58.0", Resolve(["-o", "dev"], ["SF_API_VERSION=58.0"]).Options.ApiVersion.ToString());
    }

    [Fact]
    public async Task Usage_ExitCode1_WithTheMessage_AndNoStackTrace()
    {
        var result = await new Tool().RunAsync("list");
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.StartsWith("error: No connection", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);

        var unknown = await new Tool().RunAsync("pull", "--bogus");
        Assert.Equal(ExitCodes.Usage, unknown.ExitCode);
        Assert.Contains("--bogus", unknown.Error, StringComparison.Ordinal);
    }

    private static ConnectionOptions.Connection Resolve(string[] args, string[] environment)
    {
        var variables = environment.Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var context = new CliContext(TextWriter.Null, TextWriter.Null, n => variables.GetValueOrDefault(n), false);
        var result = DescribeCli.Create(context).Parse(["list", .. args]);
        Assert.Empty(result.Errors);
        return ConnectionOptions.Resolve(result, context);
    }
}
