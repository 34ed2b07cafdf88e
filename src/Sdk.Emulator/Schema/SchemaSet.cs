using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sdk.Emulator.Schema;

/// <summary>The objects of a local org, by name and by id prefix.</summary>
internal sealed class SchemaSet
{
    private readonly Dictionary<string, ObjectSchema> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ObjectSchema> _byPrefix = new(StringComparer.Ordinal);

    public SchemaSet(IEnumerable<ObjectSchema> objects)
    {
        foreach (var obj in objects)
        {
            _byName[obj.Name] = obj;
        }

        foreach (var obj in _byName.Values)
        {
            _byPrefix.TryAdd(obj.KeyPrefix, obj);
        }

        DeriveChildRelationships();
        LoadedAt = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UnixEpoch.ToUnixTimeSeconds());
    }

    public IReadOnlyCollection<ObjectSchema> Objects => _byName.Values;

    /// <summary>When the schema last changed (for <c>If-Modified-Since</c>); set by the org when it starts.</summary>
    public DateTimeOffset LoadedAt { get; set; }

    public ObjectSchema? Find(string name) => _byName.GetValueOrDefault(name);

    public ObjectSchema? ByPrefix(string prefix) => _byPrefix.GetValueOrDefault(prefix);

    /// <summary>The built-in schema: Account, Contact, Opportunity, Lead, Case, User, Task, Event and Invoice__c.</summary>
    public static IEnumerable<ObjectSchema> BuiltIn()
    {
        var assembly = typeof(SchemaSet).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Sdk.Emulator.Schema.", StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            yield return DescribeLoader.Load(stream, name);
        }
    }

    /// <summary>Describe files from a directory (every <c>*.json</c>, plain or wrapped by the sf CLI; sf-describe's manifest is skipped).</summary>
    public static IEnumerable<ObjectSchema> FromDirectory(string directory)
    {
        foreach (var path in Directory.EnumerateFiles(directory, "*.json").Where(p => !string.Equals(Path.GetFileName(p), "sf-describe.json", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))
        {
            using var stream = File.OpenRead(path);
            yield return DescribeLoader.Load(stream, path);
        }
    }

    /// <summary>
    /// Adds the child relationships a describe did not list but another object's lookup implies (the built-in Invoice__c's
    /// lookup to Account gives Account.Invoices__r), and records them in the served describe too.
    /// </summary>
    private void DeriveChildRelationships()
    {
        foreach (var parent in _byName.Values)
        {
            if (parent.Describe["childRelationships"] is JsonArray listed)
            {
                foreach (var item in listed.OfType<JsonObject>())
                {
                    if ((string?)item["relationshipName"] is { } rel && (string?)item["childSObject"] is { } child && (string?)item["field"] is { } field)
                    {
                        parent.AddChild(new ChildRelationship(rel, child, field, (bool?)item["cascadeDelete"] ?? false));
                    }
                }
            }
        }

        foreach (var child in _byName.Values)
        {
            foreach (var field in child.Fields.Where(f => f.Type == "reference"))
            {
                foreach (var target in field.ReferenceTo)
                {
                    if (Find(target) is not { } parent || parent.ChildRelationships.Any(c => c.ChildObject.Equals(child.Name, StringComparison.OrdinalIgnoreCase) && c.Field.Equals(field.Name, StringComparison.OrdinalIgnoreCase)))
                    {
                        continue;
                    }

                    var baseName = new string(child.LabelPlural.Where(char.IsLetterOrDigit).ToArray());
                    var name = child.Custom || field.Name.EndsWith("__c", StringComparison.OrdinalIgnoreCase) ? baseName + "__r" : baseName;
                    if (parent.Child(name) is not null || string.IsNullOrEmpty(baseName))
                    {
                        continue;
                    }

                    parent.AddChild(new ChildRelationship(name, child.Name, field.Name, false));
                    if (parent.Describe["childRelationships"] is not JsonArray array)
                    {
                        parent.Describe["childRelationships"] = array = [];
                    }

                    array.Add(new JsonObject
                    {
                        ["cascadeDelete"] = false,
                        ["childSObject"] = child.Name,
                        ["deprecatedAndHidden"] = false,
                        ["field"] = field.Name,
                        ["junctionIdListNames"] = new JsonArray(),
                        ["junctionReferenceTo"] = new JsonArray(),
                        ["relationshipName"] = name,
                        ["restrictedDelete"] = false,
                    });
                }
            }
        }
    }
}

/// <summary>Reads a describe body into an <see cref="ObjectSchema"/>.</summary>
internal static class DescribeLoader
{
    public static ObjectSchema Load(Stream stream, string source)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(stream) as JsonObject ?? throw new InvalidDataException($"{source}: the describe is not a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{source}: the describe is not valid JSON ({ex.Message}).", ex);
        }

        if (root["fields"] is null && root["result"] is JsonObject wrapped && wrapped["fields"] is not null)
        {
            root = wrapped;
        }

        var name = (string?)root["name"] ?? throw new InvalidDataException($"{source}: the describe has no 'name'.");
        if (root["fields"] is not JsonArray fieldArray)
        {
            throw new InvalidDataException($"{source}: the describe of {name} has no 'fields' array.");
        }

        var fields = new List<FieldSchema>();
        foreach (var node in fieldArray.OfType<JsonObject>())
        {
            fields.Add(ReadField(node, name, source));
        }

        if (!fields.Any(f => f.Name == "Id"))
        {
            fields.Insert(0, new FieldSchema { Name = "Id", Type = "id", Label = "Record ID", Length = 18, IdLookup = true });
        }

        var prefix = (string?)root["keyPrefix"];
        if (string.IsNullOrEmpty(prefix) || prefix.Length != 3)
        {
            prefix = DerivedPrefix(name);
            root["keyPrefix"] = prefix;
        }

        return new ObjectSchema(name, prefix, root, fields);
    }

    private static FieldSchema ReadField(JsonObject f, string objectName, string source)
    {
        var fieldName = (string?)f["name"] ?? throw new InvalidDataException($"{source}: a field of {objectName} has no 'name'.");
        var picklist = new List<PicklistValue>();
        if (f["picklistValues"] is JsonArray values)
        {
            foreach (var v in values.OfType<JsonObject>())
            {
                var value = (string?)v["value"];
                if (value is null)
                {
                    continue;
                }

                picklist.Add(new PicklistValue(value, (string?)v["label"] ?? value, (bool?)v["active"] ?? true, Bool(v["defaultValue"]), ValidFor((string?)v["validFor"])));
            }
        }

        return new FieldSchema
        {
            Name = fieldName,
            Type = (string?)f["type"] ?? "string",
            Label = (string?)f["label"] ?? fieldName,
            Length = (int?)f["length"] ?? 0,
            Precision = (int?)f["precision"] ?? 0,
            Scale = (int?)f["scale"] ?? 0,
            Nillable = (bool?)f["nillable"] ?? true,
            Createable = (bool?)f["createable"] ?? false,
            Updateable = (bool?)f["updateable"] ?? false,
            DefaultedOnCreate = (bool?)f["defaultedOnCreate"] ?? false,
            ExternalId = (bool?)f["externalId"] ?? false,
            IdLookup = (bool?)f["idLookup"] ?? false,
            Unique = (bool?)f["unique"] ?? false,
            Calculated = (bool?)f["calculated"] ?? false,
            AutoNumber = (bool?)f["autoNumber"] ?? false,
            NameField = (bool?)f["nameField"] ?? false,
            Filterable = (bool?)f["filterable"] ?? true,
            Sortable = (bool?)f["sortable"] ?? true,
            Groupable = (bool?)f["groupable"] ?? true,
            RestrictedPicklist = (bool?)f["restrictedPicklist"] ?? false,
            DependentPicklist = (bool?)f["dependentPicklist"] ?? false,
            ControllerName = (string?)f["controllerName"],
            CompoundFieldName = (string?)f["compoundFieldName"],
            ReferenceTo = f["referenceTo"] is JsonArray refs ? [.. refs.Select(r => (string?)r).OfType<string>()] : [],
            RelationshipName = (string?)f["relationshipName"],
            PicklistValues = picklist,
            DefaultValue = f["defaultValue"] is JsonValue dv && dv.GetValueKind() == JsonValueKind.String ? (string?)dv : null,
        };
    }

    /// <summary>Picklist defaults come as booleans or as the strings "true"/"false" (both are seen in real describes).</summary>
    private static bool Bool(JsonNode? node) => node is JsonValue v && (v.GetValueKind() == JsonValueKind.True
        || (v.GetValueKind() == JsonValueKind.String && string.Equals((string?)v, "true", StringComparison.OrdinalIgnoreCase)));

    /// <summary>A dependent value's <c>validFor</c>: base64 bits, the high bit of the first byte for controlling value 0.</summary>
    private static int[] ValidFor(string? base64)
    {
        if (string.IsNullOrEmpty(base64))
        {
            return [];
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return [];
        }

        var result = new List<int>();
        for (var i = 0; i < bytes.Length * 8; i++)
        {
            if ((bytes[i >> 3] & (0x80 >> (i & 7))) != 0)
            {
                result.Add(i);
            }
        }

        return [.. result];
    }

    /// <summary>A stable prefix for an object whose describe has none: <c>a</c> and two characters from its name's hash.</summary>
    private static string DerivedPrefix(string name)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        var hash = 17u;
        foreach (var c in name)
        {
            hash = (hash * 31) + c;
        }

        return "a" + Alphabet[(int)(hash % 62)] + Alphabet[(int)(hash / 62 % 62)];
    }
}
