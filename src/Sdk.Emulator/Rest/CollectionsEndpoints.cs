using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sdk.Emulator.Data;
using Sdk.Emulator.Query;
using Sdk.Emulator.Schema;
using Sdk.Runtime.Records;

namespace Sdk.Emulator.Rest;

/// <summary>
/// sObject Collections (<c>/composite/sobjects</c>): create, update, upsert by external id and delete up to 200 records a
/// call, retrieve up to 2,000 ids. With <c>allOrNone</c> every record is validated first and nothing is written when one
/// fails (the others report <c>ALL_OR_NONE_OPERATION_ROLLED_BACK</c>); without it each record succeeds or fails alone.
/// Results are in input order.
/// </summary>
internal static class CollectionsEndpoints
{
    public const int MaxWrite = 200;
    public const int MaxRetrieve = 2000;

    public static void Map(WebApplication app, OrgState org)
    {
        const string Base = "/services/data/v{version}/composite/sobjects";
        app.MapPost(Base, context => WriteAsync(context, org, Operation.Create, null, null));
        app.MapMethods(Base, ["PATCH"], context => WriteAsync(context, org, Operation.Update, null, null));
        app.MapMethods(Base + "/{type}/{field}", ["PATCH"], (HttpContext context, string type, string field) => WriteAsync(context, org, Operation.Upsert, type, field));
        app.MapDelete(Base, context => DeleteAsync(context, org));
        app.MapGet(Base + "/{type}", (HttpContext context, string version, string type) => RetrieveAsync(context, org, version, type, null));
        app.MapPost(Base + "/{type}", async (HttpContext context, string version, string type) =>
            await RetrieveAsync(context, org, version, type, JsonDocument.Parse(await Responses.ReadBodyAsync(context)).RootElement.Clone()));
    }

    internal enum Operation
    {
        Create,
        Update,
        Upsert,
    }

    internal sealed record Result(string? Id, IReadOnlyList<ApiError>? Errors, bool? Created = null);

    /// <summary>What a valid record of an all-or-none call reports when another record failed.</summary>
    private static readonly Result RolledBack = new(null, [new ApiError("ALL_OR_NONE_OPERATION_ROLLED_BACK", "Record rolled back because not all records were valid and the request was using AllOrNone header", [])]);

    private static async Task WriteAsync(HttpContext context, OrgState org, Operation operation, string? upsertType, string? upsertField)
    {
        JsonDocument document;
        try
        {
            // Parsed from pooled buffers and released when the call is answered: nothing of the body outlives the request.
            document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            throw ApiException.BadRequest("JSON_PARSER_ERROR", ex.Message);
        }

        using var owner = document;
        var body = document.RootElement;
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("records", out var recordsElement) || recordsElement.ValueKind != JsonValueKind.Array)
        {
            throw ApiException.BadRequest("JSON_PARSER_ERROR", "The request body must be an object with a 'records' array.");
        }

        var records = recordsElement.EnumerateArray().ToList();
        if (records.Count > MaxWrite)
        {
            throw ApiException.BadRequest("EXCEEDED_ID_LIMIT", $"record limit reached. cannot submit more than {MaxWrite} records into this call");
        }

        var allOrNone = body.TryGetProperty("allOrNone", out var flag) && flag.ValueKind == JsonValueKind.True;
        ObjectSchema? upsertSchema = null;
        FieldSchema? external = null;
        if (operation == Operation.Upsert)
        {
            upsertSchema = DataEndpoints.Object(org, upsertType!);
            external = DataEndpoints.ExternalField(upsertSchema, upsertField!);
        }

        var results = new Result[records.Count];
        var store = org.Store;
        store.Gate.EnterWriteLock();
        try
        {
            // Phase 1: everything that can fail, per record, without writing.
            var plans = new Func<Result>?[records.Count];
            for (var i = 0; i < records.Count; i++)
            {
                try
                {
                    plans[i] = Plan(org, operation, records[i], upsertSchema, external);
                }
                catch (ApiException ex)
                {
                    results[i] = new Result(null, ex.Errors);
                }
            }

            var failed = results.Any(r => r is not null);
            for (var i = 0; i < records.Count; i++)
            {
                if (plans[i] is not { } plan)
                {
                    continue;
                }

                if (allOrNone && failed)
                {
                    results[i] = RolledBack;
                    continue;
                }

                try
                {
                    results[i] = plan();
                }
                catch (ApiException ex)
                {
                    results[i] = new Result(null, ex.Errors);
                }
            }
        }
        finally
        {
            store.Gate.ExitWriteLock();
        }

        await WriteResultsAsync(context, results, withCreated: operation == Operation.Upsert);
    }

    /// <summary>Validates one record and returns the write to do, or throws the record's error.</summary>
    internal static Func<Result> Plan(OrgState org, Operation operation, JsonElement record, ObjectSchema? upsertSchema, FieldSchema? external)
    {
        if (record.ValueKind != JsonValueKind.Object)
        {
            throw ApiException.BadRequest("JSON_PARSER_ERROR", "Each record must be a JSON object.");
        }

        var type = record.TryGetProperty("attributes"u8, out var attributes) && attributes.TryGetProperty("type"u8, out var t) ? t.GetString() : null;
        var store = org.Store;
        switch (operation)
        {
            case Operation.Create:
            {
                var schema = type is null ? throw ApiException.BadRequest("INVALID_TYPE", "sObject type is missing from the attributes of a record (attributes.type)") : TypeOf(org, type);
                if (record.TryGetProperty("Id"u8, out _))
                {
                    throw ApiException.BadRequest("INVALID_FIELD", "cannot specify Id in an insert call", "Id");
                }

                var values = RecordParser.Parse(store, schema, record, create: true);
                return () => new Result(store.Insert(schema, values).Id, null);
            }

            case Operation.Update:
            {
                var id = record.TryGetProperty("Id"u8, out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString()! : throw ApiException.BadRequest("MISSING_ARGUMENT", "Id not specified in an update call", "Id");
                var schema = type is not null ? TypeOf(org, type)
                    : SalesforceId.TryParse(id, out var parsed) && store.Schema.ByPrefix(parsed.KeyPrefix) is { } byPrefix ? byPrefix
                    : throw ApiException.BadRequest("MALFORMED_ID", $"Record ID: id value of incorrect type: {id}", "Id");
                var existing = DataEndpoints.Record(org, schema, id, forWrite: true);
                var values = RecordParser.Parse(store, schema, record, create: false, existing, ignore: ["Id"]);
                return () =>
                {
                    store.Update(existing, values);
                    return new Result(existing.Id, null);
                };
            }

            default:
            {
                var schema = upsertSchema!;
                if (type is not null && !string.Equals(TypeOf(org, type).Name, schema.Name, StringComparison.Ordinal))
                {
                    throw ApiException.BadRequest("INVALID_TYPE", $"The record's type {type} is not the upsert's type {schema.Name}");
                }

                if (external!.Name == "Id" && (!record.TryGetProperty("Id"u8, out var given) || given.ValueKind == JsonValueKind.Null))
                {
                    // Upsert by Id without an Id creates the record, as Salesforce does.
                    var inserted = RecordParser.Parse(store, schema, record, create: true, ignore: ["Id"]);
                    return () => new Result(store.Insert(schema, inserted).Id, null, Created: true);
                }

                if (!record.TryGetProperty(external.Name, out var keyElement) || keyElement.ValueKind == JsonValueKind.Null)
                {
                    throw ApiException.BadRequest("MISSING_ARGUMENT", $"{external.Name} not specified", external.Name);
                }

                var key = keyElement.ValueKind == JsonValueKind.String ? keyElement.GetString()! : keyElement.GetRawText();
                var matches = DataEndpoints.Matches(org, schema, external, key);
                if (matches.Count > 1)
                {
                    throw new ApiException(HttpStatusCode.Conflict, "DUPLICATE_EXTERNAL_ID",
                        $"{external.Name}: more than one record found for external id field: [{string.Join(", ", matches.Select(m => m.Id))}]", [external.Name]);
                }

                if (matches.Count == 1)
                {
                    var existing = matches[0];
                    var values = RecordParser.Parse(store, schema, record, create: false, existing, ignore: [external.Name, "Id"]);
                    return () =>
                    {
                        store.Update(existing, values);
                        return new Result(existing.Id, null, Created: false);
                    };
                }

                if (external.Name == "Id")
                {
                    throw new ApiException(HttpStatusCode.NotFound, "NOT_FOUND", "The requested resource does not exist");
                }

                var created = RecordParser.Parse(store, schema, record, create: true, ignore: ["Id"]);
                return () =>
                {
                    // Two records of one call with the same new key: the second updates the first, as Salesforce resolves them in order.
                    var again = DataEndpoints.Matches(org, schema, external, key);
                    if (again.Count == 1)
                    {
                        store.Update(again[0], created);
                        return new Result(again[0].Id, null, Created: false);
                    }

                    return new Result(store.Insert(schema, created).Id, null, Created: true);
                };
            }
        }
    }

    private static ObjectSchema TypeOf(OrgState org, string type)
        => org.Schema.Find(type) is { } schema && !org.Options.ForbiddenObjects.Contains(schema.Name)
            ? schema
            : throw ApiException.BadRequest("INVALID_TYPE", $"sObject type '{type}' is not supported.");

    private static async Task DeleteAsync(HttpContext context, OrgState org)
    {
        var ids = context.Request.Query["ids"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (ids.Length == 0)
        {
            throw ApiException.BadRequest("MISSING_ARGUMENT", "ids parameter is required");
        }

        if (ids.Length > MaxWrite)
        {
            throw ApiException.BadRequest("EXCEEDED_ID_LIMIT", $"record limit reached. cannot submit more than {MaxWrite} records into this call");
        }

        var allOrNone = string.Equals(context.Request.Query["allOrNone"], "true", StringComparison.OrdinalIgnoreCase);
        var results = new Result[ids.Length];
        var store = org.Store;
        store.Gate.EnterWriteLock();
        try
        {
            var targets = new StoredRecord?[ids.Length];
            for (var i = 0; i < ids.Length; i++)
            {
                try
                {
                    var schema = SalesforceId.TryParse(ids[i], out var parsed) && store.Schema.ByPrefix(parsed.KeyPrefix) is { } s ? s
                        : throw ApiException.BadRequest("MALFORMED_ID", $"malformed id {ids[i]}");
                    targets[i] = DataEndpoints.Record(org, schema, ids[i], forWrite: true);
                }
                catch (ApiException ex)
                {
                    results[i] = new Result(null, ex.Errors);
                }
            }

            var failed = results.Any(r => r is not null);
            for (var i = 0; i < ids.Length; i++)
            {
                if (targets[i] is not { } target)
                {
                    continue;
                }

                if (allOrNone && failed)
                {
                    results[i] = RolledBack;
                    continue;
                }

                if (target.IsDeleted)
                {
                    results[i] = new Result(null, [new ApiError("ENTITY_IS_DELETED", "entity is deleted", [])]);
                    continue;
                }

                DataEndpoints.DeleteCascading(org, target);
                results[i] = new Result(target.Id, null);
            }
        }
        finally
        {
            store.Gate.ExitWriteLock();
        }

        await WriteResultsAsync(context, results, withCreated: false);
    }

    private static Task RetrieveAsync(HttpContext context, OrgState org, string version, string type, JsonElement? body)
    {
        var schema = DataEndpoints.Object(org, type);
        string[] ids;
        string fields;
        if (body is { } json)
        {
            ids = json.TryGetProperty("ids", out var i) && i.ValueKind == JsonValueKind.Array ? [.. i.EnumerateArray().Select(e => e.GetString() ?? string.Empty)] : [];
            fields = json.TryGetProperty("fields", out var f) && f.ValueKind == JsonValueKind.Array ? string.Join(',', f.EnumerateArray().Select(e => e.GetString())) : string.Empty;
        }
        else
        {
            ids = context.Request.Query["ids"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            fields = context.Request.Query["fields"].ToString();
        }

        if (ids.Length == 0 || string.IsNullOrWhiteSpace(fields))
        {
            throw ApiException.BadRequest("MISSING_ARGUMENT", "ids and fields are required");
        }

        if (ids.Length > MaxRetrieve)
        {
            throw ApiException.BadRequest("EXCEEDED_ID_LIMIT", $"record limit reached. cannot submit more than {MaxRetrieve} records into this call");
        }

        var output = new OutRecord?[ids.Length];
        org.Store.Gate.EnterReadLock();
        try
        {
            for (var i = 0; i < ids.Length; i++)
            {
                var found = SalesforceId.TryParse(ids[i], out var parsed) && parsed.KeyPrefix == schema.KeyPrefix && org.Store.Find(parsed.Value) is { IsDeleted: false } r ? r : null;
                output[i] = found is null ? null : DataEndpoints.Project(schema, found, fields);
            }
        }
        finally
        {
            org.Store.Gate.ExitReadLock();
        }

        return Responses.JsonAsync(context, HttpStatusCode.OK, writer =>
        {
            writer.WriteStartArray();
            foreach (var record in output)
            {
                if (record is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    QueryOutputWriter.WriteRecord(writer, record, version);
                }
            }

            writer.WriteEndArray();
        });
    }

    private static Task WriteResultsAsync(HttpContext context, Result[] results, bool withCreated)
        => Responses.JsonAsync(context, HttpStatusCode.OK, writer =>
        {
            writer.WriteStartArray();
            foreach (var result in results)
            {
                writer.WriteStartObject();
                if (result.Id is { } id)
                {
                    writer.WriteString("id"u8, id);
                }

                writer.WriteBoolean("success"u8, result.Errors is null);
                Responses.WriteSaveErrors(writer, result.Errors ?? []);
                if (withCreated && result.Errors is null)
                {
                    writer.WriteBoolean("created"u8, result.Created ?? false);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
}
