namespace Sdk.Cli.Describe;

/// <summary>Where the tool writes and what it reads from its environment; tests pass their own.</summary>
/// <param name="Out">Data: tables, JSON, summaries (stdout).</param>
/// <param name="Error">Progress and errors (stderr).</param>
/// <param name="Environment">Environment variables by name.</param>
/// <param name="IsTerminal">Whether stderr is a terminal (a progress bar instead of plain lines).</param>
public sealed record CliContext(TextWriter Out, TextWriter Error, Func<string, string?> Environment, bool IsTerminal)
{
    /// <summary>The process's console and environment.</summary>
    public static CliContext FromConsole() => new(Console.Out, Console.Error, System.Environment.GetEnvironmentVariable, !Console.IsErrorRedirected);
}

/// <summary>The tool's exit codes (also listed by <c>sf-describe --help</c> and in docs/describe-tool.md).</summary>
public static class ExitCodes
{
    /// <summary>Done; for <c>diff</c> and <c>pull --check</c>: the files match the org.</summary>
    public const int Success = 0;

    /// <summary>The command line is wrong (unknown option, missing connection options, bad URL).</summary>
    public const int Usage = 1;

    /// <summary><c>diff</c> or <c>pull --check</c>: the org's schema differs from the files.</summary>
    public const int Drift = 2;

    /// <summary>Login failed: wrong or expired credentials, an unknown connected app, the CLI alias not found.</summary>
    public const int Authentication = 3;

    /// <summary>The org could not be reached (DNS, connection refused, TLS, timeout).</summary>
    public const int Network = 4;

    /// <summary>Some objects failed (unknown, or refused with 403); the others were processed.</summary>
    public const int ObjectsFailed = 5;

    /// <summary>The files in the schema folder are unreadable (invalid JSON, not a describe, a broken manifest).</summary>
    public const int InvalidFiles = 6;

    /// <summary>Canceled (Ctrl+C).</summary>
    public const int Canceled = 130;

    /// <summary>The table printed by <c>--help</c>.</summary>
    public const string Help = "Exit codes: 0 ok (no drift), 1 usage, 2 drift found, 3 login failed, 4 org unreachable, 5 some objects failed, 6 invalid schema files, 130 canceled.";
}
