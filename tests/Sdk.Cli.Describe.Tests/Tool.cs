using Sdk.Emulator;

namespace Sdk.Cli.Describe.Tests;

/// <summary>Runs sf-describe in process with captured output and a given environment.</summary>
public sealed class Tool
{
    public Dictionary<string, string?> Environment { get; } = new(StringComparer.Ordinal);

    public static Tool For(LocalOrg org)
    {
        var c = org.Credentials;
        var tool = new Tool();
        // Credentials through the environment, as the docs recommend: nothing secret on the command line.
        tool.Environment["SF_LOGIN_URL"] = org.LoginUrl.ToString();
        tool.Environment["SF_CLIENT_ID"] = c.ClientId;
        tool.Environment["SF_CLIENT_SECRET"] = c.ClientSecret;
        tool.Environment["SF_USERNAME"] = c.Username;
        tool.Environment["SF_PASSWORD"] = c.Password;
        return tool;
    }

    public async Task<Result> RunAsync(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var code = await DescribeCli.RunAsync(args, new CliContext(output, error, name => Environment.GetValueOrDefault(name), IsTerminal: false));
        return new Result(code, output.ToString(), error.ToString());
    }

    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
    }
}

public sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sf-describe-" + Guid.NewGuid().ToString("N")[..10]);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}

/// <summary>A fixed clock, for an org that must look later than another (its schema changed since).</summary>
public sealed class Clock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
