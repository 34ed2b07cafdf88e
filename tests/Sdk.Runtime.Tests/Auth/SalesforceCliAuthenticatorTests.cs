using Sdk.Runtime.Auth;
using Sdk.Runtime.Errors;

namespace Sdk.Runtime.Tests.Auth;

public sealed class SalesforceCliAuthenticatorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sf-cli-test").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string FakeCli(string stdout, int exitCode)
    {
        var path = Path.Combine(_dir, "sf");
        var json = Path.Combine(_dir, "out.json");
        File.WriteAllText(json, stdout);
        File.WriteAllText(path, $"#!/bin/sh\necho \"$@\" > '{_dir}/args.txt'\ncat '{json}'\nexit {exitCode}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    [Fact]
    public async Task Display_Success_TokenAndInstance()
    {
        var cli = FakeCli("""{"status":0,"result":{"id":"00D","accessToken":"00D!CLI","instanceUrl":"https://acme.my.salesforce.com","username":"u@acme.com","alias":"dev"},"warnings":[]}""", 0);
        using var auth = new SalesforceCliAuthenticator("dev") { CliPath = cli };
        var token = await auth.GetTokenAsync();
        Assert.Equal("00D!CLI", token.AccessToken);
        Assert.Equal(new Uri("https://acme.my.salesforce.com/"), token.InstanceUrl);
        Assert.Equal("org display --json --target-org dev", File.ReadAllText(Path.Combine(_dir, "args.txt")).Trim());
    }

    [Fact]
    public async Task Display_UnknownAlias_ClearError()
    {
        var cli = FakeCli("""{"status":1,"name":"NoOrgFound","message":"No authorization information found for nope.","exitCode":1}""", 1);
        using var auth = new SalesforceCliAuthenticator("nope") { CliPath = cli };
        var ex = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => auth.GetTokenAsync().AsTask());
        Assert.Equal("NoOrgFound", ex.ErrorCode);
        Assert.Contains("'nope'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("No authorization information", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_Missing_SaysToInstall()
    {
        using var auth = new SalesforceCliAuthenticator("dev") { CliPath = Path.Combine(_dir, "does-not-exist") };
        var ex = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => auth.GetTokenAsync().AsTask());
        Assert.Equal("CLI_NOT_FOUND", ex.ErrorCode);
        Assert.Contains("not installed or not on PATH", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_GarbageOutput_ClearError()
    {
        var cli = FakeCli("Warning: something odd", 2);
        using var auth = new SalesforceCliAuthenticator("dev") { CliPath = cli };
        var ex = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => auth.GetTokenAsync().AsTask());
        Assert.Contains("exited with code 2", ex.Message, StringComparison.Ordinal);
    }
}
