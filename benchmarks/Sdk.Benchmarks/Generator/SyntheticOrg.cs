using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sdk.Benchmarks.Generator;

/// <summary>
/// An org of N objects × M fields synthesized from the real describe shapes: every field is a copy of a real field (all its
/// keys, picklist values, lookups) renamed per object, so the generator sees what Salesforce sends.
/// </summary>
public static class SyntheticOrg
{
    public static List<(string Path, string Text)> Create(int objects, int fieldsPerObject)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "describe");
        var templates = Directory.GetFiles(dir, "*.json").Order().Select(p => JsonNode.Parse(File.ReadAllText(p))!.AsObject()).ToList();
        var fieldPool = templates.SelectMany(t => t["fields"]!.AsArray().Select(f => f!.AsObject())).Where(f => (string?)f["name"] != "Id").ToList();
        var files = new List<(string, string)>(objects);
        for (var i = 0; i < objects; i++)
        {
            var template = templates[i % templates.Count];
            var name = $"Synthetic{i:D4}__c";
            var o = template.DeepClone().AsObject();
            o["name"] = name;
            o["label"] = $"Synthetic {i}";
            o["custom"] = true;
            o["keyPrefix"] = $"a{i % 10}{(char)('A' + i % 26)}";
            var fields = new JsonArray { template["fields"]!.AsArray().First(f => (string?)f!["name"] == "Id")!.DeepClone() };
            for (var j = 0; j < fieldsPerObject - 1; j++)
            {
                var f = fieldPool[(i * 31 + j * 7) % fieldPool.Count].DeepClone().AsObject();
                f["name"] = $"Field{j:D2}__c";
                f["label"] = $"Field {j}";
                f["custom"] = true;
                if ((string?)f["type"] == "reference")
                {
                    f["referenceTo"] = new JsonArray($"Synthetic{(i + j) % objects:D4}__c");
                    f["relationshipName"] = $"Field{j:D2}__r";
                }

                f["controllerName"] = null;
                f["compoundFieldName"] = null;
                fields.Add(f);
            }

            o["fields"] = fields;
            o["childRelationships"] = new JsonArray(Enumerable.Range(1, 3).Select(k => (JsonNode)new JsonObject
            {
                ["cascadeDelete"] = false,
                ["childSObject"] = $"Synthetic{(i + k) % objects:D4}__c",
                ["field"] = "Field00__c",
                ["relationshipName"] = $"Children{k}__r",
            }).ToArray());
            files.Add(($"/schema/{name}.json", o.ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
        }

        return files;
    }
}
