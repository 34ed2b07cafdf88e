using System.Net.Sockets;
using Sdk.Runtime;
using Sdk.Runtime.Errors;

namespace Sdk.Cli.Describe.Commands;

/// <summary>Runs a command's work and turns every failure into a one-line message and its exit code; no stack traces.</summary>
internal static class Runner
{
    public static async Task<int> RunAsync(CliContext context, Func<Task<int>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            await context.Error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (SalesforceAuthenticationException ex)
        {
            await context.Error.WriteLineAsync("error: login failed: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.Authentication;
        }
        catch (InvalidDataException ex)
        {
            await context.Error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.InvalidFiles;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync("canceled").ConfigureAwait(false);
            return ExitCodes.Canceled;
        }
        catch (Exception ex) when (IsNetwork(ex))
        {
            await context.Error.WriteLineAsync("error: cannot reach the org: " + NetworkMessage(ex)).ConfigureAwait(false);
            return ExitCodes.Network;
        }
        catch (SalesforceException ex)
        {
            await context.Error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.ObjectsFailed;
        }
    }

    /// <summary>Connection refused, DNS, TLS, or a timeout (not a cancellation by the user).</summary>
    public static bool IsNetwork(Exception ex)
        => ex is HttpRequestException or SocketException or TimeoutException
           || (ex is TaskCanceledException && ex.InnerException is TimeoutException)
           || (ex.InnerException is { } inner && IsNetwork(inner));

    private static string NetworkMessage(Exception ex)
    {
        var innermost = ex;
        while (innermost.InnerException is { } inner)
        {
            innermost = inner;
        }

        return innermost == ex ? ex.Message : $"{ex.Message} ({innermost.Message})";
    }

    /// <summary>A client for the resolved connection.</summary>
    public static SalesforceClient Client(ConnectionOptions.Connection connection) => new(connection.Options);

    /// <summary>The org id, read from the session id's prefix (Salesforce session ids start with the 15-character org id).</summary>
    public static string? OrgIdOf(string accessToken)
    {
        var bang = accessToken.IndexOf('!', StringComparison.Ordinal);
        return bang == 15 && accessToken.StartsWith("00D", StringComparison.Ordinal) ? accessToken[..15] : null;
    }
}
