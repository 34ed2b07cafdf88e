using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Sdk.Generator.Json;
using Sdk.Generator.Model;

namespace Sdk.Generator;

public sealed partial class SchemaGenerator
{
    internal static readonly HashSet<string> KnownFieldTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "id", "reference", "string", "textarea", "phone", "url", "email", "encryptedstring", "boolean", "int", "long", "double",
        "currency", "percent", "date", "datetime", "time", "picklist", "multipicklist", "combobox", "address", "location",
        "base64", "anytype", "json", "complexvalue", "datacategorygroupreference",
    };

    /// <summary>Reads one describe file. Never throws for bad input: problems become diagnostics.</summary>
    internal static ParseResult Parse(SchemaFile file, CancellationToken cancellationToken)
    {
        if (file.Text is null)
        {
            return Fail(new DiagnosticInfo("SFGEN008", file.Path, 1, 1, new[] { FileName(file.Path) }.ToEquatableArray()));
        }

        JNode root;
        try
        {
            root = LiteJsonParser.Parse(file.Text);
        }
        catch (JsonSyntaxException ex)
        {
            var (line, column) = LiteJsonParser.LineAndColumn(file.Text, ex.Offset);
            return Fail(new DiagnosticInfo("SFGEN001", file.Path, line, column,
                new[] { FileName(file.Path), line.ToString(System.Globalization.CultureInfo.InvariantCulture), column.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message }.ToEquatableArray()));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (root is not JObject obj)
        {
            return NotDescribe(file, "its top level is not a JSON object");
        }

        // The sf CLI wraps the describe: {"status":0,"result":{…}}.
        if (obj["fields"] is null && obj.Obj("result") is { } result && result["fields"] is not null)
        {
            obj = result;
        }

        var name = obj.Str("name");
        var fields = obj.Arr("fields");
        if (string.IsNullOrWhiteSpace(name) || fields is null)
        {
            return NotDescribe(file, fields is null ? "it has no 'fields' array" : "it has no 'name'");
        }

        if (!IsApiName(name!))
        {
            return NotDescribe(file, $"'{name}' is not a valid sObject API name");
        }

        var lines = new LineIndex(file.Text);
        var diagnostics = new List<DiagnosticInfo>();
        var fieldSpecs = new List<FieldSpec>(fields.Items.Count);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var node in fields.Items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (node is not JObject f)
            {
                continue;
            }

            var fieldName = f.Str("name");
            var type = f.Str("type");
            var line = lines.LineOf(f.Offset);
            if (string.IsNullOrWhiteSpace(fieldName) || !IsApiName(fieldName!) || string.IsNullOrWhiteSpace(type))
            {
                diagnostics.Add(new DiagnosticInfo("SFGEN006", file.Path, line, 1,
                    new[] { FileName(file.Path), string.IsNullOrWhiteSpace(fieldName) || !IsApiName(fieldName!) ? "a valid 'name'" : "a 'type'" }.ToEquatableArray()));
                continue;
            }

            if (!seen.Add(fieldName!))
            {
                continue;
            }

            if (!KnownFieldTypes.Contains(type!))
            {
                diagnostics.Add(new DiagnosticInfo("SFGEN004", file.Path, line, 1, new[] { name!, fieldName!, type! }.ToEquatableArray()));
            }

            fieldSpecs.Add(ReadField(f, fieldName!, type!.ToLowerInvariant(), line));
        }

        var children = new List<ChildRelationshipSpec>();
        foreach (var node in obj.Arr("childRelationships")?.Items ?? new List<JNode>())
        {
            if (node is JObject c && c.Str("childSObject") is { } child && c.Str("field") is { } field)
            {
                children.Add(new ChildRelationshipSpec(child, field, c.Str("relationshipName"), c.Bool("cascadeDelete")));
            }
        }

        var recordTypes = new List<RecordTypeSpec>();
        foreach (var node in obj.Arr("recordTypeInfos")?.Items ?? new List<JNode>())
        {
            if (node is JObject r && r.Str("recordTypeId") is { } id)
            {
                var developerName = r.Str("developerName") ?? r.Str("name") ?? id;
                recordTypes.Add(new RecordTypeSpec(developerName, r.Str("name") ?? developerName, id, r.Bool("master"),
                    r["active"] is null || r.Bool("active"), r.Bool("defaultRecordTypeMapping")));
            }
        }

        var spec = new ObjectSpec(
            file.Path,
            name!,
            obj.Str("label") ?? name!,
            obj.Str("labelPlural") ?? obj.Str("label") ?? name!,
            obj.Str("keyPrefix"),
            obj.Bool("custom"),
            obj.Bool("createable"),
            obj.Bool("updateable"),
            obj.Bool("deletable"),
            obj.Bool("queryable"),
            obj.Bool("searchable"),
            obj.Bool("undeletable"),
            fieldSpecs.ToEquatableArray(),
            children.ToEquatableArray(),
            recordTypes.ToEquatableArray());
        return new ParseResult(spec, diagnostics.ToEquatableArray());
    }

    private static FieldSpec ReadField(JObject f, string name, string type, int line)
    {
        var flags = FieldFlags.None;
        void Flag(string key, FieldFlags flag)
        {
            if (f.Bool(key))
            {
                flags |= flag;
            }
        }

        Flag("nillable", FieldFlags.Nillable);
        Flag("createable", FieldFlags.Createable);
        Flag("updateable", FieldFlags.Updateable);
        Flag("filterable", FieldFlags.Filterable);
        Flag("sortable", FieldFlags.Sortable);
        Flag("groupable", FieldFlags.Groupable);
        Flag("aggregatable", FieldFlags.Aggregatable);
        Flag("externalId", FieldFlags.ExternalId);
        Flag("idLookup", FieldFlags.IdLookup);
        Flag("unique", FieldFlags.Unique);
        Flag("caseSensitive", FieldFlags.CaseSensitive);
        Flag("calculated", FieldFlags.Calculated);
        Flag("defaultedOnCreate", FieldFlags.DefaultedOnCreate);
        Flag("autoNumber", FieldFlags.AutoNumber);
        Flag("nameField", FieldFlags.NameField);
        Flag("custom", FieldFlags.Custom);
        Flag("htmlFormatted", FieldFlags.HtmlFormatted);
        Flag("encrypted", FieldFlags.Encrypted);
        Flag("polymorphicForeignKey", FieldFlags.Polymorphic);
        Flag("restrictedPicklist", FieldFlags.RestrictedPicklist);
        Flag("dependentPicklist", FieldFlags.DependentPicklist);
        Flag("deprecatedAndHidden", FieldFlags.DeprecatedAndHidden);

        var referenceTo = (f.Arr("referenceTo")?.Items ?? new List<JNode>()).OfType<JString>().Select(s => s.Value).ToEquatableArray();
        if (referenceTo.Count > 1)
        {
            flags |= FieldFlags.Polymorphic;
        }

        var picklist = new List<PicklistValueSpec>();
        foreach (var node in f.Arr("picklistValues")?.Items ?? new List<JNode>())
        {
            if (node is JObject p && p.Str("value") is { } value)
            {
                picklist.Add(new PicklistValueSpec(value, p.Str("label") ?? value, p["active"] is null || p.Bool("active"), p.Bool("defaultValue"), p.Str("validFor")));
            }
        }

        return new FieldSpec(
            name,
            f.Str("label") ?? name,
            type,
            f.Str("soapType"),
            f.Int("length"),
            f.Int("precision"),
            f.Int("scale"),
            f.Int("digits"),
            flags,
            referenceTo,
            f.Str("relationshipName"),
            picklist.ToEquatableArray(),
            f.Str("controllerName"),
            f.Str("compoundFieldName"),
            f.Str("inlineHelpText"),
            f.Str("defaultValueFormula"),
            f.Str("calculatedFormula"),
            line);
    }

    internal static bool IsApiName(string name)
    {
        if (name.Length == 0 || name.Length > 255 || !IsAsciiLetter(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!IsAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

    private static ParseResult Fail(DiagnosticInfo diagnostic) => new(null, new[] { diagnostic }.ToEquatableArray());

    private static ParseResult NotDescribe(SchemaFile file, string why)
        => Fail(new DiagnosticInfo("SFGEN002", file.Path, 1, 1, new[] { FileName(file.Path), why }.ToEquatableArray()));

    internal static string FileName(string path)
    {
        var slash = Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\'));
        return slash >= 0 ? path.Substring(slash + 1) : path;
    }

    /// <summary>Line numbers of offsets, from one scan of the text.</summary>
    private sealed class LineIndex
    {
        private readonly List<int> _starts = new() { 0 };

        public LineIndex(string text)
        {
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n')
                {
                    _starts.Add(i + 1);
                }
            }
        }

        public int LineOf(int offset)
        {
            var index = _starts.BinarySearch(offset);
            return (index >= 0 ? index : ~index - 1) + 1;
        }
    }
}
