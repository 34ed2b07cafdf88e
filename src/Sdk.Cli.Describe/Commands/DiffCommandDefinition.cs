using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sdk.Cli.Describe.Schema;
using Sdk.Runtime.Errors;
using Spectre.Console;

namespace Sdk.Cli.Describe.Commands;

/// <summary><c>sf-describe diff</c>: what changed in the org since the files were pulled.</summary>
public static class DiffCommandDefinition
{
    /// <summary>The schema folder.</summary>
    public static readonly Option<string> Schema = new("--schema", "--out") { Description = "The schema folder to compare with the org.", DefaultValueFactory = _ => "schema" };

    /// <summary>Machine-readable output.</summary>
    public static readonly Option<bool> Json = new("--json") { Description = "Print the changes as JSON." };

    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("diff", "Compare the schema files with the org: added and removed objects and fields, type and length changes, picklist values. Exit code 2 when they differ.")
        {
            Schema, Json,
        };
        ObjectSelection.AddTo(command);
        ConnectionOptions.AddTo(command);
        command.SetAction((result, cancellationToken) => Runner.RunAsync(context, () => DiffAsync(result, context, cancellationToken), cancellationToken));
        return command;
    }

    private static async Task<int> DiffAsync(ParseResult result, CliContext context, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(result.GetValue(Schema)!);
        var manifest = SchemaManifest.Load(folder);
        var files = new Dictionary<string, JsonObject>(StringComparer.OrdinalIgnoreCase);
        if (Directory.Exists(folder))
        {
            foreach (var path in Directory.EnumerateFiles(folder, "*.json").Where(p => Path.GetFileName(p) != SchemaManifest.FileName))
            {
                var describe = DescribeFile.Read(path);
                files[(string)describe["name"]!] = describe;
            }
        }

        if (files.Count == 0 && !ObjectSelection.Given(result))
        {
            throw new UsageException($"{folder} has no describe files; pull first, or select objects with --objects, --include or --all.");
        }

        var connection = ConnectionOptions.Resolve(result, context);
        await using var client = Runner.Client(connection);
        var global = await client.SObjects.DescribeGlobalAsync(cancellationToken).ConfigureAwait(false);
        var byName = global.SObjects.ToDictionary(o => o.Name, StringComparer.OrdinalIgnoreCase);
        var compared = new SortedSet<string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var name in files.Keys)
        {
            if (byName.TryGetValue(name, out var summary))
            {
                compared.Add(summary.Name);
            }
            else
            {
                missing.Add(name);
            }
        }

        if (ObjectSelection.Given(result))
        {
            // The files are always compared; a selection adds objects of the org that are not in the files yet.
            compared.UnionWith(ObjectSelection.Resolve(result, global, [], out var unknown));
            foreach (var name in unknown.Where(n => !files.ContainsKey(n)))
            {
                await context.Error.WriteLineAsync($"warning: the org has no object '{name}' (or the user cannot see it)").ConfigureAwait(false);
            }
        }

        var inOrg = compared.ToList();
        var sameVersion = manifest?.ApiVersion == connection.Options.ApiVersion.ToString();
        var changes = new List<SchemaChange>();
        var gate = new object();
        await ObjectProgress.RunAsync(context, "Comparing", inOrg, async name =>
        {
            files.TryGetValue(name, out var file);
            var since = file is not null && sameVersion && manifest!.Objects.GetValueOrDefault(name) is { } known ? known : (DateTimeOffset?)null;
            JsonObject? org;
            try
            {
                var answer = await client.SObjects.DescribeAsync(name, since, cancellationToken).ConfigureAwait(false);
                if (answer.NotModified)
                {
                    return "not modified (304)";
                }

                org = answer.Describe;
            }
            catch (RecordNotFoundException)
            {
                org = null;
            }

            var found = SchemaDiff.Compare(name, file, org);
            lock (gate)
            {
                changes.AddRange(found);
            }

            return found.Count == 0 ? "same" : $"{found.Count} changes";
        }, 4, cancellationToken).ConfigureAwait(false);

        foreach (var name in missing.Where(files.ContainsKey))
        {
            changes.AddRange(SchemaDiff.Compare(files[name]["name"]!.GetValue<string>(), files[name], null));
        }

        changes = [.. changes.OrderBy(c => c.Object, StringComparer.Ordinal).ThenBy(c => c.Field ?? string.Empty, StringComparer.Ordinal).ThenBy(c => c.Kind).ThenBy(c => c.Detail, StringComparer.Ordinal)];
        if (result.GetValue(Json))
        {
            var array = new JsonArray();
            foreach (var c in changes)
            {
                array.Add(new JsonObject { ["object"] = c.Object, ["field"] = c.Field, ["kind"] = c.Kind.ToString(), ["detail"] = c.Detail });
            }

            var root = new JsonObject { ["drift"] = changes.Count > 0, ["changes"] = array };
            await context.Out.WriteLineAsync(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping })).ConfigureAwait(false);
        }
        else if (changes.Count == 0)
        {
            await context.Out.WriteLineAsync($"No changes: the {inOrg.Count} objects in {folder} match the org.").ConfigureAwait(false);
        }
        else
        {
            var table = new Table().AddColumns("Object", "Field", "Change", "Detail");
            foreach (var c in changes)
            {
                table.AddRow(Markup.Escape(c.Object), Markup.Escape(c.Field ?? string.Empty), Markup.Escape(c.Kind.ToString()), Markup.Escape(c.Detail));
            }

            ObjectProgress.WriteTable(context, table);
            await context.Out.WriteLineAsync($"{changes.Count} changes.").ConfigureAwait(false);
        }

        return changes.Count > 0 ? ExitCodes.Drift : ExitCodes.Success;
    }
}
