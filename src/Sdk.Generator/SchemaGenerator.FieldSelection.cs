using System;
using System.Collections.Generic;
using System.Linq;
using Sdk.Generator.Model;

namespace Sdk.Generator;

/// <summary>
/// <c>SalesforceSchemaFields</c>: generating only the fields an application uses. Real orgs' objects often have hundreds of
/// fields; a record holds a slot for every generated one, so a narrower type is smaller in memory and faster to read and
/// write in bulk. Values of fields left out are not lost: a JSON record keeps them in its additional fields.
/// </summary>
public sealed partial class SchemaGenerator
{
    private const string FieldsProperty = "SalesforceSchemaFields";

    /// <summary>
    /// Reads <c>Account=Name,Type,Owner;Contact=LastName</c>: entries separated by <c>;</c>, each an object's API name,
    /// <c>=</c>, and its field API names or relationship names separated by <c>,</c> or white space (line breaks included, so
    /// a long list can continue on the next line). An entry that is not of that form is reported (SFGEN007) and ignored;
    /// two entries for one object are merged.
    /// </summary>
    private static List<FieldSelection> ReadFieldSelections(string text, List<DiagnosticInfo> diagnostics)
    {
        var byObject = new Dictionary<string, (string ApiName, List<string> Names)>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in text.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var entry = raw.Trim();
            if (entry.Length == 0)
            {
                continue;
            }

            var equals = entry.IndexOf('=');
            var apiName = equals < 0 ? string.Empty : entry.Substring(0, equals).Trim();
            var names = equals < 0 ? Array.Empty<string>() : entry.Substring(equals + 1).Split(new[] { ',', ' ', '\t', '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries);
            if (!IsApiName(apiName) || names.Length == 0 || !names.All(IsApiName))
            {
                diagnostics.Add(InvalidOption(FieldsProperty, entry, "of the form ApiName=Field,Field,...", "every field of the object"));
                continue;
            }

            if (!byObject.TryGetValue(apiName, out var selection))
            {
                byObject[apiName] = selection = (apiName, new List<string>());
            }

            foreach (var name in names)
            {
                if (!selection.Names.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    selection.Names.Add(name);
                }
            }
        }

        return byObject.Values.OrderBy(s => s.ApiName, StringComparer.OrdinalIgnoreCase)
            .Select(s => new FieldSelection(s.ApiName, s.Names.ToEquatableArray())).ToList();
    }

    /// <summary>
    /// The object with only its selected fields and relationships, when the options select any for it: <c>Id</c> always; a
    /// field named; a reference field whose relationship is named (the parent comes with its field); a child relationship
    /// named. A name the describe has neither as a field nor as a relationship is reported (SFGEN010).
    /// </summary>
    internal static SelectedObject SelectFields(ObjectSpec spec, GeneratorOptions options)
    {
        if (options.FieldSelections.FirstOrDefault(s => string.Equals(s.ApiName, spec.ApiName, StringComparison.OrdinalIgnoreCase)) is not { } selection)
        {
            return new SelectedObject(spec, EquatableArray<DiagnosticInfo>.Empty);
        }

        var names = new HashSet<string>(selection.Names, StringComparer.OrdinalIgnoreCase);
        bool Named(string? name) => name is not null && names.Contains(name);
        var fields = spec.Fields.Where(f => f.ApiName == "Id" || Named(f.ApiName) || Named(f.RelationshipName)).ToEquatableArray();
        var children = spec.ChildRelationships.Where(c => Named(c.RelationshipName)).ToEquatableArray();

        var known = new HashSet<string>(spec.Fields.Select(f => f.ApiName)
            .Concat(spec.Fields.Select(f => f.RelationshipName).OfType<string>())
            .Concat(spec.ChildRelationships.Select(c => c.RelationshipName).OfType<string>()), StringComparer.OrdinalIgnoreCase);
        var diagnostics = selection.Names.Where(n => !known.Contains(n))
            .Select(n => new DiagnosticInfo("SFGEN010", spec.Path, 1, 1, new[] { spec.ApiName, n, FileName(spec.Path) }.ToEquatableArray()))
            .ToEquatableArray();
        return new SelectedObject(spec with { Fields = fields, ChildRelationships = children, FieldsSelected = true }, diagnostics);
    }

    /// <summary>Objects the options select fields for that no schema file describes (SFGEN011).</summary>
    private static IEnumerable<DiagnosticInfo> UnknownSelections(IEnumerable<string> described, GeneratorOptions options)
    {
        var objects = new HashSet<string>(described, StringComparer.OrdinalIgnoreCase);
        return options.FieldSelections.Where(s => !objects.Contains(s.ApiName))
            .Select(s => new DiagnosticInfo("SFGEN011", string.Empty, 0, 0, new[] { s.ApiName }.ToEquatableArray()));
    }
}
