using System.Collections.Concurrent;
using System.CommandLine;
using Sdk.Cli.Describe.Schema;
using Sdk.Runtime.Errors;

namespace Sdk.Cli.Describe.Commands;

/// <summary><c>sf-describe pull</c>: downloads describes into deterministic files; <c>--check</c> only reports drift.</summary>
public static class PullCommandDefinition
{
    /// <summary>The schema folder.</summary>
    public static readonly Option<string> Out = new("--out") { Description = "The schema folder (one file per object and sf-describe.json).", DefaultValueFactory = _ => "schema" };

    /// <summary>Check only.</summary>
    public static readonly Option<bool> Check = new("--check") { Description = "Write nothing; exit with code 2 when the org's schema differs from the files (for CI)." };

    /// <summary>Ignore the saved modification times.</summary>
    public static readonly Option<bool> Force = new("--force") { Description = "Download every object even when the org says it did not change (no If-Modified-Since)." };

    /// <summary>Parallel describe requests.</summary>
    public static readonly Option<int> Concurrency = new("--concurrency") { Description = "How many describes are fetched at once (1-16).", DefaultValueFactory = _ => 4 };

    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("pull", "Download the describe of the selected objects into the schema folder. Without a selection, the objects already in the folder are pulled again.")
        {
            Out, Check, Force, Concurrency,
        };
        ObjectSelection.AddTo(command);
        ConnectionOptions.AddTo(command);
        command.SetAction((result, cancellationToken) => Runner.RunAsync(context, () => PullAsync(result, context, cancellationToken), cancellationToken));
        return command;
    }

    private enum Outcome
    {
        Written,
        Unchanged,
        NotModified,
        Drifted,
        Failed,
    }

    private static async Task<int> PullAsync(ParseResult result, CliContext context, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(result.GetValue(Out)!);
        var check = result.GetValue(Check);
        var force = result.GetValue(Force);
        var concurrency = result.GetValue(Concurrency);
        if (concurrency is < 1 or > 16)
        {
            throw new UsageException($"--concurrency {concurrency} is out of range: give 1 to 16.");
        }

        var manifest = SchemaManifest.Load(folder);
        if (!ObjectSelection.Given(result) && (manifest is null || manifest.Objects.Count == 0))
        {
            throw new UsageException($"Say which objects to pull: --objects, --include or --all ({Path.Combine(folder, SchemaManifest.FileName)} lists none yet).");
        }

        var connection = ConnectionOptions.Resolve(result, context);
        await using var client = Runner.Client(connection);
        var token = await connection.Options.Authenticator!.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        var global = await client.SObjects.DescribeGlobalAsync(cancellationToken).ConfigureAwait(false);
        var objects = ObjectSelection.Resolve(result, global, manifest?.Objects.Keys ?? Enumerable.Empty<string>(), out var unknown);

        var next = new SchemaManifest
        {
            OrgId = Runner.OrgIdOf(token.AccessToken) ?? manifest?.OrgId,
            InstanceUrl = (token.InstanceUrl ?? connection.Options.InstanceUrl)?.GetLeftPart(UriPartial.Authority),
            ApiVersion = connection.Options.ApiVersion.ToString(),
        };
        foreach (var (name, modified) in manifest?.Objects ?? [])
        {
            next.Objects[name] = modified;
        }

        var failures = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in unknown)
        {
            failures[name] = $"the org has no object '{name}' (or the user cannot see it)";
        }

        var outcomes = new ConcurrentDictionary<string, Outcome>(StringComparer.Ordinal);
        var modifiedTimes = new ConcurrentDictionary<string, DateTimeOffset?>(StringComparer.Ordinal);
        if (!check)
        {
            Directory.CreateDirectory(folder);
        }

        // A describe pulled at another API version is not comparable: download everything again then.
        var sameVersion = manifest?.ApiVersion == next.ApiVersion;
        await ObjectProgress.RunAsync(context, check ? "Checking" : "Pulling", objects, async name =>
        {
            var path = Path.Combine(folder, DescribeFile.FileName(name));
            var since = !force && sameVersion && File.Exists(path) && manifest!.Objects.GetValueOrDefault(name) is { } known ? known : (DateTimeOffset?)null;
            try
            {
                var describe = await client.SObjects.DescribeAsync(name, since, cancellationToken).ConfigureAwait(false);
                modifiedTimes[name] = describe.LastModified ?? since;
                if (describe.NotModified)
                {
                    outcomes[name] = Outcome.NotModified;
                    return "not modified (304)";
                }

                var bytes = DescribeFile.Normalize(describe.Describe!);
                if (check)
                {
                    var same = await AtomicFile.HoldsAsync(path, bytes, cancellationToken).ConfigureAwait(false);
                    outcomes[name] = same ? Outcome.Unchanged : Outcome.Drifted;
                    return same ? "matches the file" : "differs from the file";
                }

                var written = await AtomicFile.WriteIfChangedAsync(path, bytes, cancellationToken).ConfigureAwait(false);
                outcomes[name] = written ? Outcome.Written : Outcome.Unchanged;
                return written ? "written" : "unchanged";
            }
            catch (RecordNotFoundException)
            {
                failures[name] = $"the org has no object '{name}' (or the user cannot see it)";
            }
            catch (InsufficientAccessException ex)
            {
                failures[name] = $"access to '{name}' was refused ({ex.ErrorCode}): {ex.Message}";
            }
            catch (InvalidDataException ex)
            {
                failures[name] = $"the describe of '{name}' is malformed: {ex.Message}";
            }
            catch (SalesforceException ex) when (ex is not SalesforceAuthenticationException && !Runner.IsNetwork(ex))
            {
                failures[name] = $"'{name}' failed: {ex.Message}";
            }

            outcomes[name] = Outcome.Failed;
            return "FAILED";
        }, concurrency, cancellationToken).ConfigureAwait(false);

        foreach (var (name, modified) in modifiedTimes)
        {
            next.Objects[name] = modified;
        }

        foreach (var (name, error) in failures.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            await context.Error.WriteLineAsync("error: " + error).ConfigureAwait(false);
        }

        int Count(Outcome o) => outcomes.Values.Count(v => v == o);
        if (check)
        {
            var missingInOrg = manifest?.Objects.Keys.Where(n => unknown.Contains(n, StringComparer.OrdinalIgnoreCase)).ToList() ?? [];
            var drifted = outcomes.Where(o => o.Value == Outcome.Drifted).Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
            foreach (var name in drifted)
            {
                await context.Out.WriteLineAsync($"drift: {name}").ConfigureAwait(false);
            }

            foreach (var name in missingInOrg)
            {
                await context.Out.WriteLineAsync($"drift: {name} (no longer in the org)").ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync($"Checked {objects.Count} objects against {folder}: {drifted.Count + missingInOrg.Count} differ.").ConfigureAwait(false);
            return drifted.Count + missingInOrg.Count > 0 ? ExitCodes.Drift : failures.IsEmpty ? ExitCodes.Success : ExitCodes.ObjectsFailed;
        }

        await AtomicFile.WriteIfChangedAsync(Path.Combine(folder, SchemaManifest.FileName), next.ToBytes(), cancellationToken).ConfigureAwait(false);
        await context.Out.WriteLineAsync(
            $"Pulled {objects.Count} objects into {folder}: {Count(Outcome.Written)} written, {Count(Outcome.Unchanged)} unchanged, "
            + $"{Count(Outcome.NotModified)} not modified, {failures.Count} failed.").ConfigureAwait(false);
        return failures.IsEmpty ? ExitCodes.Success : ExitCodes.ObjectsFailed;
    }
}
