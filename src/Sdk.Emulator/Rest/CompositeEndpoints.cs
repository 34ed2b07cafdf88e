using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;
using Sdk.Emulator.Data;
using Sdk.Emulator.Schema;

namespace Sdk.Emulator.Rest;

/// <summary>
/// The composite resources: batch (<c>/composite/batch</c>, independent subrequests, <c>haltOnError</c>), composite
/// (<c>/composite</c>, references between subrequests, <c>allOrNone</c> with rollback), graph (<c>/composite/graph</c>, each
/// graph all-or-nothing) and sObject tree (<c>/composite/tree/{type}</c>). Subrequests run through the org's own endpoints, so
/// they behave exactly as the same requests sent alone; writes of an all-or-none unit are journaled and undone on failure.
/// </summary>
internal static partial class CompositeEndpoints
{
    public const int MaxSubrequests = 25;
    public const int MaxQueries = 5;
    public const int MaxGraphs = 75;
    public const int MaxNodes = 500;
    public const int MaxGraphFailures = 14;
    public const int MaxTreeRecords = 200;
    public const int MaxTreeDepth = 5;

    private const string Halted = "PROCESSING_HALTED";
    private const string CompositeRolledBack = "The transaction was rolled back since another operation in the same transaction failed.";
    private const string GraphRolledBack = "We rolled back the transaction since another operation in the same transaction failed.";

    public static void Map(WebApplication app, OrgState org)
    {
        var router = new SubrequestRouter(app, org);
        app.MapPost("/services/data/v{version}/composite", (HttpContext context, string version) => CompositeAsync(context, router, DataEndpoints.Version(version)));
        app.MapPost("/services/data/v{version}/composite/batch", (HttpContext context, string version) => BatchAsync(context, router, DataEndpoints.Version(version)));
        app.MapPost("/services/data/v{version}/composite/graph", (HttpContext context, string version) => GraphAsync(context, router, DataEndpoints.Version(version)));
        app.MapPost("/services/data/v{version}/composite/tree/{type}", (HttpContext context, string version, string type) => TreeAsync(context, org, DataEndpoints.Version(version), type));
    }

    /// <summary>The outcome of one subrequest.</summary>
    private sealed record Outcome(int Status, JsonElement? Body, IReadOnlyDictionary<string, string> Headers)
    {
        public bool Failed => Status >= 400;

        public static Outcome Error(int status, string code, string message)
            => new(status, Responses.ErrorElement([new ApiError(code, message)]), new Dictionary<string, string>());
    }

    private sealed record Subrequest(string Method, string Url, string ReferenceId, JsonElement? Body);

    private static async Task<JsonElement> ReadObjectAsync(HttpContext context)
    {
        try
        {
            var root = JsonDocument.Parse(await Responses.ReadBodyAsync(context)).RootElement.Clone();
            return root.ValueKind == JsonValueKind.Object ? root : throw ApiException.BadRequest("JSON_PARSER_ERROR", "The request body must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw ApiException.BadRequest("JSON_PARSER_ERROR", $"Unexpected character in the request body at [line:{(ex.LineNumber ?? 0) + 1}, column:{(ex.BytePositionInLine ?? 0) + 1}]");
        }
    }

    private static bool Flag(JsonElement body, string name) => body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static JsonElement Array(JsonElement body, string name)
        => body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v : throw ApiException.BadRequest("JSON_PARSER_ERROR", $"The request body needs a '{name}' array.");

    // ---- batch ---------------------------------------------------------------------------------------------------------------

    private static async Task BatchAsync(HttpContext context, SubrequestRouter router, string version)
    {
        var body = await ReadObjectAsync(context);
        var requests = Array(body, "batchRequests").EnumerateArray().ToList();
        if (requests.Count > MaxSubrequests)
        {
            throw ApiException.BadRequest("LIMIT_EXCEEDED", $"A batch takes at most {MaxSubrequests} subrequests; this one has {requests.Count}.");
        }

        var haltOnError = Flag(body, "haltOnError");
        var outcomes = new List<Outcome>(requests.Count);
        var halted = false;
        foreach (var request in requests)
        {
            if (halted)
            {
                outcomes.Add(Outcome.Error(412, "BATCH_PROCESSING_HALTED", "Batch processing halted per request"));
                continue;
            }

            var method = request.TryGetProperty("method", out var m) ? m.GetString() ?? "GET" : "GET";
            var url = request.TryGetProperty("url", out var u) ? u.GetString() ?? string.Empty : string.Empty;
            JsonElement? input = request.TryGetProperty("richInput", out var r) ? r : null;
            if (!url.StartsWith('/'))
            {
                url = "/services/data/" + url;
            }

            var outcome = await router.RunAsync(context, method, url, input);
            outcomes.Add(outcome);
            halted = haltOnError && outcome.Failed;
        }

        await Responses.JsonAsync(context, HttpStatusCode.OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteBoolean("hasErrors"u8, outcomes.Any(o => o.Failed));
            writer.WriteStartArray("results"u8);
            foreach (var outcome in outcomes)
            {
                writer.WriteStartObject();
                writer.WriteNumber("statusCode"u8, outcome.Status);
                writer.WritePropertyName("result"u8);
                WriteBody(writer, outcome.Body);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    // ---- composite -----------------------------------------------------------------------------------------------------------

    private static async Task CompositeAsync(HttpContext context, SubrequestRouter router, string version)
    {
        var body = await ReadObjectAsync(context);
        var subrequests = ReadSubrequests(Array(body, "compositeRequest"), "composite request");
        if (subrequests.Count > MaxSubrequests)
        {
            throw ApiException.BadRequest("LIMIT_EXCEEDED", $"A composite request takes at most {MaxSubrequests} subrequests; this one has {subrequests.Count}.");
        }

        var queries = subrequests.Count(s => IsQueryOrCollection(s.Url));
        if (queries > MaxQueries)
        {
            throw ApiException.BadRequest("LIMIT_EXCEEDED", $"A composite request takes at most {MaxQueries} query or sObject Collections subrequests; this one has {queries}.");
        }

        var outcomes = await RunUnitAsync(context, router, router.Store, subrequests, Flag(body, "allOrNone"), CompositeRolledBack);
        await Responses.JsonAsync(context, HttpStatusCode.OK, writer => WriteCompositeResponse(writer, subrequests, outcomes));
    }

    private static bool IsQueryOrCollection(string url)
    {
        var path = url.Split('?')[0];
        return QueryPath().IsMatch(path) || path.Contains("/composite/sobjects", StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"/v\d+\.\d/(query|queryAll)(/|$)", RegexOptions.IgnoreCase)]
    private static partial Regex QueryPath();

    private static List<Subrequest> ReadSubrequests(JsonElement array, string what)
    {
        var list = new List<Subrequest>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in array.EnumerateArray())
        {
            var method = item.TryGetProperty("method", out var m) && m.GetString() is { Length: > 0 } ms ? ms : throw ApiException.BadRequest("INVALID_INPUT", $"Subrequest {list.Count} of the {what} has no method.");
            var url = item.TryGetProperty("url", out var u) && u.GetString() is { Length: > 0 } us ? us : throw ApiException.BadRequest("INVALID_INPUT", $"Subrequest {list.Count} of the {what} has no url.");
            var referenceId = item.TryGetProperty("referenceId", out var r) && r.GetString() is { Length: > 0 } rs ? rs : throw ApiException.BadRequest("INVALID_INPUT", $"Subrequest {list.Count} of the {what} has no referenceId.");
            if (!ReferenceIdPattern().IsMatch(referenceId))
            {
                throw ApiException.BadRequest("INVALID_INPUT", $"Invalid referenceId '{referenceId}': use letters, digits, underscores and hyphens, starting with a letter.");
            }

            if (!ids.Add(referenceId))
            {
                throw ApiException.BadRequest("INVALID_INPUT", $"Duplicate referenceId '{referenceId}' in the {what}; reference ids must be unique.");
            }

            list.Add(new Subrequest(method, url, referenceId, item.TryGetProperty("body", out var b) && b.ValueKind != JsonValueKind.Null ? b : null));
        }

        return list;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]*$")]
    private static partial Regex ReferenceIdPattern();

    /// <summary>
    /// Runs subrequests in order, resolving references to earlier results. With <paramref name="allOrNone"/>, the first failure
    /// undoes every write of the unit and turns every other subrequest into <c>PROCESSING_HALTED</c>.
    /// </summary>
    private static async Task<Outcome[]> RunUnitAsync(HttpContext context, SubrequestRouter router, OrgStore store, List<Subrequest> subrequests, bool allOrNone, string rolledBackMessage)
    {
        var outcomes = new Outcome[subrequests.Count];
        var byReference = new Dictionary<string, Outcome>(StringComparer.Ordinal);
        var failed = false;
        using var journal = allOrNone ? store.BeginJournal() : null;
        for (var i = 0; i < subrequests.Count; i++)
        {
            var sub = subrequests[i];
            if (allOrNone && failed)
            {
                outcomes[i] = Outcome.Error(400, Halted, rolledBackMessage);
                continue;
            }

            Outcome outcome;
            if (!References.TryResolve(sub.Url, byReference, escapeForUrl: true, out var url, out var problem)
                || !References.TryResolve(sub.Body, byReference, out var body, out problem))
            {
                outcome = Outcome.Error(400, Halted, problem!);
            }
            else
            {
                outcome = await router.RunAsync(context, sub.Method, url!, body);
            }

            outcomes[i] = outcome;
            byReference[sub.ReferenceId] = outcome;
            failed |= outcome.Failed;
        }

        if (allOrNone && failed)
        {
            journal!.Rollback();
            for (var i = 0; i < outcomes.Length; i++)
            {
                if (!outcomes[i].Failed)
                {
                    outcomes[i] = Outcome.Error(400, Halted, rolledBackMessage);
                }
            }
        }

        return outcomes;
    }

    private static void WriteCompositeResponse(Utf8JsonWriter writer, List<Subrequest> subrequests, Outcome[] outcomes)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("compositeResponse"u8);
        WriteCompositeItems(writer, subrequests, outcomes);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteCompositeItems(Utf8JsonWriter writer, List<Subrequest> subrequests, Outcome[] outcomes)
    {
        for (var i = 0; i < subrequests.Count; i++)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("body"u8);
            WriteBody(writer, outcomes[i].Body);
            writer.WriteStartObject("httpHeaders"u8);
            foreach (var (name, value) in outcomes[i].Headers)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
            writer.WriteNumber("httpStatusCode"u8, outcomes[i].Status);
            writer.WriteString("referenceId"u8, subrequests[i].ReferenceId);
            writer.WriteEndObject();
        }
    }

    // ---- graph ---------------------------------------------------------------------------------------------------------------

    private static async Task GraphAsync(HttpContext context, SubrequestRouter router, string version)
    {
        var body = await ReadObjectAsync(context);
        var graphElements = Array(body, "graphs").EnumerateArray().ToList();
        if (graphElements.Count > MaxGraphs)
        {
            throw ApiException.BadRequest("LIMIT_EXCEEDED", $"A composite graph request takes at most {MaxGraphs} graphs; this one has {graphElements.Count}.");
        }

        var graphs = new List<(string Id, List<Subrequest> Nodes)>();
        var graphIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var element in graphElements)
        {
            var id = element.TryGetProperty("graphId", out var g) && g.GetString() is { Length: > 0 } gs ? gs : throw ApiException.BadRequest("INVALID_INPUT", $"Graph {graphs.Count} has no graphId.");
            if (!graphIds.Add(id))
            {
                throw ApiException.BadRequest("INVALID_INPUT", $"Duplicate graphId '{id}'.");
            }

            var nodes = ReadSubrequests(Array(element, "compositeRequest"), $"graph '{id}'");
            if (nodes.Count == 0 || nodes.Count > MaxNodes)
            {
                throw ApiException.BadRequest("LIMIT_EXCEEDED", $"Graph '{id}' has {nodes.Count} nodes; a graph has 1 to {MaxNodes}.");
            }

            if (nodes.FirstOrDefault(n => !SObjectPath().IsMatch(n.Url.Split('?')[0])) is { } unsupported)
            {
                throw ApiException.BadRequest("INVALID_INPUT", $"Node '{unsupported.ReferenceId}' of graph '{id}' uses {unsupported.Url}; composite graph nodes must be sObject or sObject Collections resources.");
            }

            graphs.Add((id, nodes));
        }

        var total = graphs.Sum(g => g.Nodes.Count);
        if (total > MaxNodes)
        {
            throw ApiException.BadRequest("LIMIT_EXCEEDED", $"A composite graph request takes at most {MaxNodes} nodes in all; this one has {total}.");
        }

        var results = new List<(string Id, List<Subrequest> Nodes, Outcome[] Outcomes, bool Success)>();
        var failures = 0;
        foreach (var (id, nodes) in graphs)
        {
            Outcome[] outcomes;
            if (failures >= MaxGraphFailures)
            {
                outcomes = nodes.Select(_ => Outcome.Error(400, Halted, "Processing halted: the request reached its limit of failed graphs.")).ToArray();
            }
            else
            {
                outcomes = await RunUnitAsync(context, router, router.Store, nodes, allOrNone: true, GraphRolledBack);
            }

            var success = outcomes.All(o => !o.Failed);
            failures += success ? 0 : 1;
            results.Add((id, nodes, outcomes, success));
        }

        await Responses.JsonAsync(context, HttpStatusCode.OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("graphs"u8);
            foreach (var (id, nodes, outcomes, success) in results)
            {
                writer.WriteStartObject();
                writer.WriteString("graphId"u8, id);
                writer.WriteStartObject("graphResponse"u8);
                writer.WriteStartArray("compositeResponse"u8);
                WriteCompositeItems(writer, nodes, outcomes);
                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.WriteBoolean("isSuccessful"u8, success);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    [GeneratedRegex(@"^/services/data/v\d+\.\d/(sobjects|composite/sobjects)(/|$)", RegexOptions.IgnoreCase)]
    private static partial Regex SObjectPath();

    // ---- tree ----------------------------------------------------------------------------------------------------------------

    private sealed record TreeNode(string ReferenceId, ObjectSchema Schema, JsonElement Element, TreeNode? Parent, ChildRelationship? Link);

    private static async Task TreeAsync(HttpContext context, OrgState org, string version, string type)
    {
        var schema = DataEndpoints.Object(org, type);
        var body = await ReadObjectAsync(context);
        var roots = Array(body, "records");
        var nodes = new List<TreeNode>();
        var referenceIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var root in roots.EnumerateArray())
        {
            Collect(org, schema, root, null, null, 1, nodes, referenceIds);
        }

        if (nodes.Count == 0)
        {
            throw ApiException.BadRequest("INVALID_INPUT", "The tree has no records.");
        }

        var ids = new Dictionary<TreeNode, string>();
        var errors = new List<(TreeNode Node, IReadOnlyList<ApiError> Errors)>();
        var store = org.Store;
        using (var journal = store.BeginJournal())
        {
            store.Gate.EnterWriteLock();
            try
            {
                foreach (var node in nodes)
                {
                    if (node.Parent is not null && !ids.ContainsKey(node.Parent))
                    {
                        continue; // its parent failed: nothing to attach it to
                    }

                    try
                    {
                        var ignore = node.Schema.ChildRelationships.Select(c => c.RelationshipName).ToList();
                        var values = RecordParser.Parse(store, node.Schema, node.Element, create: true, ignore: ignore);
                        if (node.Link is { } link && node.Schema.Field(link.Field) is { } field)
                        {
                            values[field] = ids[node.Parent!];
                        }

                        ids[node] = store.Insert(node.Schema, values).Id;
                    }
                    catch (ApiException ex)
                    {
                        errors.Add((node, ex.Errors));
                    }
                }
            }
            finally
            {
                store.Gate.ExitWriteLock();
            }

            if (errors.Count > 0)
            {
                journal.Rollback();
            }
        }

        await Responses.JsonAsync(context, errors.Count > 0 ? HttpStatusCode.BadRequest : HttpStatusCode.Created, writer =>
        {
            writer.WriteStartObject();
            writer.WriteBoolean("hasErrors"u8, errors.Count > 0);
            writer.WriteStartArray("results"u8);
            if (errors.Count > 0)
            {
                foreach (var (node, list) in errors)
                {
                    writer.WriteStartObject();
                    writer.WriteString("referenceId"u8, node.ReferenceId);
                    Responses.WriteSaveErrors(writer, list);
                    writer.WriteEndObject();
                }
            }
            else
            {
                foreach (var node in nodes)
                {
                    writer.WriteStartObject();
                    writer.WriteString("referenceId"u8, node.ReferenceId);
                    writer.WriteString("id"u8, ids[node]);
                    writer.WriteEndObject();
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary>Flattens a tree depth first, checking types, reference ids, depth and the record limit.</summary>
    private static void Collect(OrgState org, ObjectSchema schema, JsonElement element, TreeNode? parent, ChildRelationship? link, int depth, List<TreeNode> nodes, HashSet<string> referenceIds)
    {
        if (depth > MaxTreeDepth)
        {
            throw ApiException.BadRequest("INVALID_INPUT", $"The tree is deeper than {MaxTreeDepth} levels.");
        }

        if (nodes.Count >= MaxTreeRecords)
        {
            throw ApiException.BadRequest("LIMIT_EXCEEDED", $"A tree creates at most {MaxTreeRecords} records in one request.");
        }

        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("attributes", out var attributes) || attributes.ValueKind != JsonValueKind.Object)
        {
            throw ApiException.BadRequest("INVALID_INPUT", "Every record of a tree needs an attributes object with its type and referenceId.");
        }

        var declared = attributes.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (!string.Equals(declared, schema.Name, StringComparison.OrdinalIgnoreCase))
        {
            throw ApiException.BadRequest("INVALID_INPUT", $"A record of the tree has type '{declared}' where '{schema.Name}' was expected.");
        }

        var referenceId = attributes.TryGetProperty("referenceId", out var r) && r.GetString() is { Length: > 0 } rs ? rs
            : throw ApiException.BadRequest("INVALID_INPUT", "Every record of a tree needs a referenceId in its attributes.");
        if (!referenceIds.Add(referenceId))
        {
            throw ApiException.BadRequest("INVALID_INPUT", $"Duplicate referenceId '{referenceId}' in the tree.");
        }

        var node = new TreeNode(referenceId, schema, element, parent, link);
        nodes.Add(node);
        foreach (var property in element.EnumerateObject())
        {
            if (schema.Child(property.Name) is not { } child)
            {
                continue;
            }

            var childSchema = DataEndpoints.Object(org, child.ChildObject);
            if (property.Value.ValueKind != JsonValueKind.Object || !property.Value.TryGetProperty("records", out var records) || records.ValueKind != JsonValueKind.Array)
            {
                throw ApiException.BadRequest("INVALID_INPUT", $"The child relationship '{property.Name}' of '{referenceId}' needs a 'records' array.");
            }

            foreach (var record in records.EnumerateArray())
            {
                Collect(org, childSchema, record, node, child, depth + 1, nodes, referenceIds);
            }
        }
    }

    // ---- shared --------------------------------------------------------------------------------------------------------------

    private static void WriteBody(Utf8JsonWriter writer, JsonElement? body)
    {
        if (body is { } b)
        {
            b.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    /// <summary>Reference expressions (<c>@{referenceId.path}</c>) and their values from earlier results.</summary>
    private static partial class References
    {
        [GeneratedRegex(@"@\{([A-Za-z][A-Za-z0-9_-]*)\.([^{}@]+)\}")]
        private static partial Regex Expression();

        public static bool TryResolve(string text, Dictionary<string, Outcome> earlier, bool escapeForUrl, out string? resolved, out string? problem)
        {
            if (!text.Contains("@{", StringComparison.Ordinal))
            {
                (resolved, problem) = (text, null);
                return true;
            }

            string? error = null;
            resolved = Expression().Replace(text, match =>
            {
                if (error is not null)
                {
                    return match.Value;
                }

                var value = Lookup(match.Groups[1].Value, match.Groups[2].Value, earlier, out error);
                return value is null ? match.Value : escapeForUrl ? Uri.EscapeDataString(value) : value;
            });
            problem = error;
            return error is null;
        }

        public static bool TryResolve(JsonElement? body, Dictionary<string, Outcome> earlier, out JsonElement? resolved, out string? problem)
        {
            resolved = body;
            problem = null;
            if (body is not { } b)
            {
                return true;
            }

            var raw = b.GetRawText();
            if (!raw.Contains("@{", StringComparison.Ordinal))
            {
                return true;
            }

            string? error = null;
            var replaced = Expression().Replace(raw, match =>
            {
                if (error is not null)
                {
                    return match.Value;
                }

                var value = Lookup(match.Groups[1].Value, match.Groups[2].Value, earlier, out error);
                return value is null ? match.Value : JsonEncodedText.Encode(value, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
            });
            problem = error;
            if (error is not null)
            {
                return false;
            }

            resolved = JsonDocument.Parse(replaced).RootElement.Clone();
            return true;
        }

        private static string? Lookup(string referenceId, string path, Dictionary<string, Outcome> earlier, out string? problem)
        {
            problem = null;
            if (!earlier.TryGetValue(referenceId, out var outcome))
            {
                problem = $"Invalid reference specified. No value for {path} found in {referenceId}. Provided referenceId ('{referenceId}') does not name an earlier subrequest.";
                return null;
            }

            if (outcome.Failed || outcome.Body is not { } current)
            {
                problem = $"Invalid reference specified. No value for {path} found in {referenceId}. Provided referenceId ('{referenceId}') refers to a failed subrequest.";
                return null;
            }

            foreach (var segment in PathSegment().Matches(path).Cast<Match>())
            {
                var name = segment.Groups[1].Value;
                if (name.Length > 0)
                {
                    if (current.ValueKind != JsonValueKind.Object || !TryProperty(current, name, out current))
                    {
                        problem = $"Invalid reference specified. No value for {path} found in {referenceId}.";
                        return null;
                    }
                }

                foreach (Capture index in segment.Groups[2].Captures)
                {
                    var i = int.Parse(index.Value, System.Globalization.CultureInfo.InvariantCulture);
                    if (current.ValueKind != JsonValueKind.Array || i >= current.GetArrayLength())
                    {
                        problem = $"Invalid reference specified. No value for {path} found in {referenceId}.";
                        return null;
                    }

                    current = current[i];
                }
            }

            return current.ValueKind switch
            {
                JsonValueKind.String => current.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => current.GetRawText(),
                _ => null,
            } ?? Fail(out problem, $"Invalid reference specified. No value for {path} found in {referenceId}.");
        }

        private static string? Fail(out string? problem, string message)
        {
            problem = message;
            return null;
        }

        private static bool TryProperty(JsonElement element, string name, out JsonElement value)
        {
            if (element.TryGetProperty(name, out value))
            {
                return true;
            }

            foreach (var property in element.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = property.Value;
                    return true;
                }
            }

            return false;
        }

        [GeneratedRegex(@"([^.\[\]]*)(?:\[(\d+)\])*")]
        private static partial Regex PathSegment();
    }

    /// <summary>Runs a subrequest through the org's own endpoints, in memory, and captures its answer.</summary>
    private sealed class SubrequestRouter(WebApplication app, OrgState org)
    {
        private List<(TemplateMatcher Matcher, RouteEndpoint Endpoint, IReadOnlyList<string>? Methods, decimal Precedence)>? _routes;

        public OrgStore Store { get; } = org.Store;

        /// <summary>
        /// A create (<c>POST …/sobjects/{type}</c>), the bulk of composite and graph traffic, done directly: the same parse,
        /// validation and insert as the create endpoint, without building a request context.
        /// </summary>
        private Outcome? TryCreate(string method, string path, JsonElement? body)
        {
            if (!string.Equals(method, "POST", StringComparison.OrdinalIgnoreCase) || SObjectCreate().Match(path) is not { Success: true } match
                || !OrgState.IsVersion(match.Groups[1].Value))
            {
                return null;
            }

            try
            {
                var schema = DataEndpoints.Object(org, match.Groups[2].Value);
                if (body is not { ValueKind: JsonValueKind.Object } record)
                {
                    throw ApiException.BadRequest("JSON_PARSER_ERROR", "The request body must be a JSON object.");
                }

                var id = DataEndpoints.Insert(org, schema, store => RecordParser.Parse(store, schema, record, create: true));

                var result = JsonDocument.Parse("{\"id\":\"" + id + "\",\"success\":true,\"errors\":[]}").RootElement.Clone();
                return new Outcome(201, result, new Dictionary<string, string> { ["Location"] = path.TrimEnd('/') + "/" + id });
            }
            catch (ApiException ex)
            {
                return new Outcome((int)ex.Status, Responses.ErrorElement(ex.Errors), new Dictionary<string, string>());
            }
        }

        public async Task<Outcome> RunAsync(HttpContext parent, string method, string url, JsonElement? body)
        {
            var queryAt = url.IndexOf('?', StringComparison.Ordinal);
            var path = queryAt < 0 ? url : url[..queryAt];
            var query = queryAt < 0 ? string.Empty : url[queryAt..];
            if (path.Contains("/composite", StringComparison.OrdinalIgnoreCase) && !path.Contains("/composite/sobjects", StringComparison.OrdinalIgnoreCase))
            {
                return Outcome.Error(400, "INVALID_API_INPUT", $"A composite subrequest cannot call {path}.");
            }

            if (TryCreate(method, path, body) is { } direct)
            {
                return direct;
            }

            var route = Match(method, path, out var values);
            if (route is null)
            {
                return Outcome.Error(404, "NOT_FOUND", "The requested resource does not exist");
            }

            var context = new DefaultHttpContext { RequestServices = parent.RequestServices };
            context.Request.Method = method.ToUpperInvariant();
            context.Request.Path = path;
            context.Request.QueryString = new QueryString(query);
            context.Request.Headers.Authorization = parent.Request.Headers.Authorization;
            context.Request.ContentType = "application/json";
            context.Request.Body = new MemoryStream(body is { } b ? Encoding.UTF8.GetBytes(b.GetRawText()) : []);
            context.Request.RouteValues = values;
            var output = new MemoryStream();
            context.Response.Body = output;
            context.SetEndpoint(route);
            try
            {
                await route.RequestDelegate!(context);
            }
            catch (ApiException ex)
            {
                return new Outcome((int)ex.Status, Responses.ErrorElement(ex.Errors), new Dictionary<string, string>());
            }
            catch (BadHttpRequestException ex)
            {
                return Outcome.Error(400, "JSON_PARSER_ERROR", ex.Message);
            }

            var status = context.Response.StatusCode;
            var bytes = output.ToArray();
            JsonElement? result = bytes.Length == 0 ? null : JsonDocument.Parse(bytes).RootElement.Clone();
            return new Outcome(status, result, new Dictionary<string, string>());
        }

        private RouteEndpoint? Match(string method, string path, out RouteValueDictionary values)
        {
            _routes ??= app.Services.GetRequiredService<EndpointDataSource>().Endpoints
                .OfType<RouteEndpoint>()
                .Where(e => e.RoutePattern.RawText is { } raw && raw.StartsWith("/services/data/v{version}/", StringComparison.Ordinal))
                .Select(e =>
                {
                    var template = TemplateParser.Parse(e.RoutePattern.RawText!);
                    return (new TemplateMatcher(template, new RouteValueDictionary()), e, e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods, RoutePrecedence.ComputeInbound(template));
                })
                .OrderBy(r => r.Item4)
                .ToList();
            foreach (var (matcher, endpoint, methods, _) in _routes)
            {
                if (methods is not null && !methods.Contains(method, StringComparer.OrdinalIgnoreCase))
                {
                    continue;
                }

                values = new RouteValueDictionary();
                if (matcher.TryMatch(path, values))
                {
                    return endpoint;
                }
            }

            values = new RouteValueDictionary();
            return null;
        }
    }

    [GeneratedRegex(@"^/services/data/v(\d+\.\d)/sobjects/([^/]+)/?$", RegexOptions.IgnoreCase)]
    private static partial Regex SObjectCreate();
}
