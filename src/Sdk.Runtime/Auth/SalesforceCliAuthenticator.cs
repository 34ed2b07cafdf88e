using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Sdk.Runtime.Errors;

namespace Sdk.Runtime.Auth;

/// <summary>
/// Takes the access token of an org the Salesforce CLI is logged in to (<c>sf org display --json --target-org &lt;alias&gt;</c>).
/// On refresh it asks the CLI again, which renews the session itself.
/// </summary>
public sealed class SalesforceCliAuthenticator : SalesforceAuthenticator
{
    private readonly string _targetOrg;

    /// <summary>Creates the flow.</summary>
    /// <param name="targetOrg">The org's alias or user name as the CLI knows it.</param>
    /// <param name="timeProvider">The clock.</param>
    public SalesforceCliAuthenticator(string targetOrg, TimeProvider? timeProvider = null)
        : base(timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(targetOrg);
        _targetOrg = targetOrg;
    }

    /// <summary>The CLI executable.</summary>
    /// <value>The default value is <c>sf</c>, found on PATH.</value>
    public string CliPath { get; init; } = "sf";

    /// <summary>How long the CLI may take.</summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan CliTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <inheritdoc/>
    protected override async Task<SalesforceToken> RequestTokenAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(CliPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var arg in (string[])["org", "display", "--json", "--target-org", _targetOrg])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["SF_DISABLE_TELEMETRY"] = "true";
        start.Environment["NO_COLOR"] = "1";

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("The process did not start.");
        }
        catch (Win32Exception ex)
        {
            throw new SalesforceAuthenticationException(
                $"The Salesforce CLI ('{CliPath}') could not be started: it is not installed or not on PATH. Install it (npm install -g @salesforce/cli) and log in with 'sf org login web --alias {_targetOrg}', or use another authenticator.",
                "CLI_NOT_FOUND", ex);
        }

        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(CliTimeout);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                throw new SalesforceAuthenticationException($"The Salesforce CLI did not answer within {CliTimeout.TotalSeconds:0} s.", "CLI_TIMEOUT");
            }

            var output = await stdout.ConfigureAwait(false);
            var error = await stderr.ConfigureAwait(false);
            return Parse(output.Length > 0 ? output : error, process.ExitCode);
        }
    }

    private SalesforceToken Parse(string output, int exitCode)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(output);
        }
        catch (JsonException)
        {
            throw new SalesforceAuthenticationException(
                $"The Salesforce CLI exited with code {exitCode} and printed no JSON for target org '{_targetOrg}'.", "CLI_FAILED");
        }

        using (doc)
        {
            var root = doc.RootElement;
            var status = root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : exitCode;
            if (status != 0 || !root.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Object)
            {
                var name = root.TryGetProperty("name", out var n) ? n.GetString() : null;
                var message = root.TryGetProperty("message", out var m) ? m.GetString() : null;
                throw new SalesforceAuthenticationException(
                    $"The Salesforce CLI has no usable login for target org '{_targetOrg}': {message ?? "unknown error"}{(name is null ? string.Empty : $" ({name})")}. Log in with 'sf org login web --alias {_targetOrg}'.",
                    name ?? "CLI_FAILED");
            }

            var token = result.TryGetProperty("accessToken", out var t) ? t.GetString() : null;
            var url = result.TryGetProperty("instanceUrl", out var u) ? u.GetString() : null;
            if (string.IsNullOrEmpty(token) || !Uri.TryCreate(url, UriKind.Absolute, out var instance))
            {
                throw new SalesforceAuthenticationException($"The Salesforce CLI's answer for '{_targetOrg}' lacks accessToken or instanceUrl.", "CLI_FAILED");
            }

            return new SalesforceToken(token, instance, TimeProvider.GetUtcNow());
        }
    }
}
