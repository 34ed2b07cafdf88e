using System.CommandLine;
using System.Text.RegularExpressions;
using Sdk.Runtime.SObjects;

namespace Sdk.Cli.Describe.Commands;

/// <summary>Which objects a command works on: names, name patterns, or every queryable object.</summary>
public static class ObjectSelection
{
    /// <summary>Object API names, comma separated or repeated.</summary>
    public static readonly Option<string[]> Objects = new("--objects") { Description = "Objects by API name, comma separated or repeated: --objects Account,Contact,Invoice__c.", AllowMultipleArgumentsPerToken = true };

    /// <summary>Name patterns to add.</summary>
    public static readonly Option<string[]> Include = new("--include") { Description = "Objects whose API name matches a pattern (* and ?), e.g. '*__c'. Repeatable." };

    /// <summary>Name patterns to leave out.</summary>
    public static readonly Option<string[]> Exclude = new("--exclude") { Description = "Leave out objects whose API name matches a pattern. Repeatable." };

    /// <summary>Every queryable object of the org.</summary>
    public static readonly Option<bool> All = new("--all") { Description = "Every queryable object of the org." };

    /// <summary>Adds the options to a command.</summary>
    public static void AddTo(Command command)
    {
        command.Options.Add(Objects);
        command.Options.Add(Include);
        command.Options.Add(Exclude);
        command.Options.Add(All);
    }

    /// <summary>The names given with --objects (split at commas, trimmed, without duplicates).</summary>
    public static List<string> Names(ParseResult result)
        => [.. (result.GetValue(Objects) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>Whether any selection option was given.</summary>
    public static bool Given(ParseResult result)
        => Names(result).Count > 0 || (result.GetValue(Include)?.Length ?? 0) > 0 || result.GetValue(All);

    /// <summary>
    /// The selected objects of the org, by their org spelling, in ordinal order; names that the org does not have are
    /// returned in <paramref name="unknown"/>. Without any selection option, <paramref name="fallback"/> (the manifest's
    /// objects) is the selection.
    /// </summary>
    public static List<string> Resolve(ParseResult result, GlobalDescribe global, IEnumerable<string> fallback, out List<string> unknown)
    {
        var byName = global.SObjects.ToDictionary(o => o.Name, StringComparer.OrdinalIgnoreCase);
        var selected = new SortedSet<string>(StringComparer.Ordinal);
        unknown = [];
        var names = Given(result) ? Names(result) : [.. fallback];
        foreach (var name in names)
        {
            if (byName.TryGetValue(name, out var found))
            {
                selected.Add(found.Name);
            }
            else
            {
                unknown.Add(name);
            }
        }

        var include = (result.GetValue(Include) ?? []).Select(Pattern).ToList();
        var all = result.GetValue(All);
        foreach (var summary in global.SObjects)
        {
            if (all ? summary.Queryable : include.Any(p => p.IsMatch(summary.Name)))
            {
                selected.Add(summary.Name);
            }
        }

        var exclude = (result.GetValue(Exclude) ?? []).Select(Pattern).ToList();
        selected.RemoveWhere(n => exclude.Any(p => p.IsMatch(n)));
        return [.. selected];
    }

    /// <summary>A glob (<c>*</c>, <c>?</c>) as a case-insensitive whole-name regex.</summary>
    public static Regex Pattern(string glob)
        => new("^" + Regex.Escape(glob).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
