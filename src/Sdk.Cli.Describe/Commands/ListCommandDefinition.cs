using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sdk.Cli.Describe.Schema;
using Spectre.Console;

namespace Sdk.Cli.Describe.Commands;

/// <summary><c>sf-describe list</c>: the org's objects with their flags, and which are in the schema folder.</summary>
public static class ListCommandDefinition
{
    /// <summary>Name patterns.</summary>
    public static readonly Option<string[]> Include = new("--include") { Description = "Only objects whose API name matches a pattern (* and ?). Repeatable." };

    /// <summary>Only custom objects.</summary>
    public static readonly Option<bool> Custom = new("--custom") { Description = "Only custom objects." };

    /// <summary>The schema folder, to mark the pulled objects.</summary>
    public static readonly Option<string> Schema = new("--schema") { Description = "The schema folder; its objects are marked as pulled.", DefaultValueFactory = _ => "schema" };

    /// <summary>Machine-readable output.</summary>
    public static readonly Option<bool> Json = new("--json") { Description = "Print the list as JSON." };

    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("list", "List the org's objects: name, label, key prefix, custom, queryable, createable, and whether the schema folder has it.")
        {
            Include, Custom, Schema, Json,
        };
        ConnectionOptions.AddTo(command);
        command.SetAction((result, cancellationToken) => Runner.RunAsync(context, () => ListAsync(result, context, cancellationToken), cancellationToken));
        return command;
    }

    private static async Task<int> ListAsync(ParseResult result, CliContext context, CancellationToken cancellationToken)
    {
        var connection = ConnectionOptions.Resolve(result, context);
        await using var client = Runner.Client(connection);
        var global = await client.SObjects.DescribeGlobalAsync(cancellationToken).ConfigureAwait(false);
        var patterns = (result.GetValue(Include) ?? []).Select(ObjectSelection.Pattern).ToList();
        var pulled = SchemaManifest.Load(Path.GetFullPath(result.GetValue(Schema)!))?.Objects.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
        var objects = global.SObjects
            .Where(o => patterns.Count == 0 || patterns.Any(p => p.IsMatch(o.Name)))
            .Where(o => !result.GetValue(Custom) || o.Custom)
            .OrderBy(o => o.Name, StringComparer.Ordinal)
            .ToList();
        if (result.GetValue(Json))
        {
            var array = new JsonArray();
            foreach (var o in objects)
            {
                array.Add(new JsonObject
                {
                    ["name"] = o.Name, ["label"] = o.Label, ["keyPrefix"] = o.KeyPrefix, ["custom"] = o.Custom, ["queryable"] = o.Queryable,
                    ["createable"] = o.Createable, ["updateable"] = o.Updateable, ["deletable"] = o.Deletable, ["pulled"] = pulled.Contains(o.Name),
                });
            }

            await context.Out.WriteLineAsync(array.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping })).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("Name", "Label", "Prefix", "Custom", "Query", "Create", "Pulled");
        foreach (var o in objects)
        {
            table.AddRow(Markup.Escape(o.Name), Markup.Escape(o.Label), o.KeyPrefix ?? string.Empty, Flag(o.Custom), Flag(o.Queryable), Flag(o.Createable), Flag(pulled.Contains(o.Name)));
        }

        ObjectProgress.WriteTable(context, table);
        await context.Out.WriteLineAsync($"{objects.Count} objects.").ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static string Flag(bool value) => value ? "yes" : "-";
}
