using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sdk.Emulator.Data;
using Sdk.Emulator.Query;
using Sdk.Emulator.Schema;
using Sdk.Runtime.Records;

namespace Sdk.Emulator.Rest;

/// <summary>The REST data API: versions, resources, limits, describe, sObject CRUD, upsert, getUpdated/getDeleted, query.</summary>
internal static class DataEndpoints
{
    public static void Map(IEndpointRouteBuilder app, OrgState org)
    {
        app.MapGet("/services/data", context => Versions(context));
        app.MapGet("/services/data/v{version}", (HttpContext context, string version) => Resources(context, Version(version)));
        app.MapGet("/services/data/v{version}/limits", (HttpContext context, string version) => Limits(context, org, Version(version)));
        app.MapGet("/services/data/v{version}/sobjects", (HttpContext context, string version) => GlobalDescribe(context, org, Version(version)));
        app.MapGet("/services/data/v{version}/sobjects/{type}", (HttpContext context, string version, string type) => BasicInfo(context, org, Version(version), type));
        app.MapPost("/services/data/v{version}/sobjects/{type}", (HttpContext context, string version, string type) => Create(context, org, Version(version), type));
        app.MapGet("/services/data/v{version}/sobjects/{type}/describe", (HttpContext context, string version, string type) => Describe(context, org, Version(version), type));
        app.MapGet("/services/data/v{version}/sobjects/{type}/updated", (HttpContext context, string version, string type) => Updated(context, org, Version(version), type, deleted: false));
        app.MapGet("/services/data/v{version}/sobjects/{type}/deleted", (HttpContext context, string version, string type) => Updated(context, org, Version(version), type, deleted: true));
        app.MapGet("/services/data/v{version}/sobjects/{type}/{id}", (HttpContext context, string version, string type, string id) => Get(context, org, Version(version), type, id));
        app.MapMethods("/services/data/v{version}/sobjects/{type}/{id}", ["PATCH"], (HttpContext context, string version, string type, string id) => Update(context, org, Version(version), type, id));
        app.MapDelete("/services/data/v{version}/sobjects/{type}/{id}", (HttpContext context, string version, string type, string id) => Delete(context, org, Version(version), type, id));
        app.MapGet("/services/data/v{version}/sobjects/{type}/{field}/{value}", (HttpContext context, string version, string type, string field, string value) => GetByExternalId(context, org, Version(version), type, field, value));
        app.MapMethods("/services/data/v{version}/sobjects/{type}/{field}/{value}", ["PATCH"], (HttpContext context, string version, string type, string field, string value) => Upsert(context, org, Version(version), type, field, value));
        app.MapDelete("/services/data/v{version}/sobjects/{type}/{field}/{value}", (HttpContext context, string version, string type, string field, string value) => DeleteByExternalId(context, org, Version(version), type, field, value));
        app.MapGet("/services/data/v{version}/query", (HttpContext context, string version) => Query(context, org, Version(version), includeDeleted: false));
        app.MapGet("/services/data/v{version}/queryAll", (HttpContext context, string version) => Query(context, org, Version(version), includeDeleted: true));
        app.MapGet("/services/data/v{version}/query/{locator}", (HttpContext context, string version, string locator) => NextPage(context, org, Version(version), locator));
        app.MapGet("/services/data/v{version}/queryAll/{locator}", (HttpContext context, string version, string locator) => NextPage(context, org, Version(version), locator));
    }

    /// <summary>The version of the path, or 404 as Salesforce answers an unknown version.</summary>
    public static string Version(string version) => OrgState.IsVersion(version) ? version : throw ApiException.NotFound();

    private static Task Versions(HttpContext context)
        => Responses.JsonAsync(context, HttpStatusCode.OK, writer =>
        {
            writer.WriteStartArray();
            foreach (var version in OrgState.Versions)
            {
                writer.WriteStartObject();
                writer.WriteString("label"u8, OrgState.ReleaseLabel(version));
                writer.WriteString("url"u8, "/services/data/v" + version);
                writer.WriteString("version"u8, version);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });

    private static Task Resources(HttpContext context, string version)
        => Responses.JsonAsync(context, HttpStatusCode.OK, writer =>
        {
            writer.WriteStartObject();
            foreach (var resource in new[] { "composite", "jobs", "limits", "query", "queryAll", "sobjects" })
            {
                writer.WriteString(resource, resource == "jobs" ? $"/services/data/v{version}/jobs" : $"/services/data/v{version}/{resource}");
            }

            writer.WriteEndObject();
        });

    private static Task Limits(HttpContext context, OrgState org, string version)
        => Responses.JsonAsync(context, HttpStatusCode.OK, writer =>
        {
            writer.WriteStartObject();
            void Limit(string name, long max, long remaining)
            {
                writer.WritePropertyName(name);
                writer.WriteStartObject();
                writer.WriteNumber("Max"u8, max);
                writer.WriteNumber("Remaining"u8, Math.Max(0, remaining));
                writer.WriteEndObject();
            }

            Limit("DailyApiRequests", org.Options.DailyApiLimit, org.Options.DailyApiLimit - org.ApiUsage);
            Limit("DailyAsyncApexExecutions", 250000, 250000);
            Limit("DailyBulkApiBatches", 15000, 15000);
            Limit("DailyBulkV2QueryFileStorageMB", 976562, 976562);
            Limit("DailyBulkV2QueryJobs", 10000, 10000);
            Limit("DataStorageMB", 1024, 1024 - (org.Store.Count * 2 / 1024));
            Limit("FileStorageMB", 1024, 1024);
            Limit("HourlyTimeBasedWorkflow", 1000, 1000);
            writer.WriteEndObject();
        });

    internal static ObjectSchema Object(OrgState org, string type)
    {
        var schema = org.Schema.Find(type) ?? throw ApiException.NotFound();
        return org.Options.ForbiddenObjects.Contains(schema.Name)
            ? throw new ApiException(HttpStatusCode.Forbidden, "INSUFFICIENT_ACCESS_OR_READONLY", $"insufficient access rights on object {schema.Name}")
            : schema;
    }

    private static readonly string[] BasicKeys =
    [
        "activateable", "associateEntityType", "associateParentEntity", "createable", "custom", "customSetting", "deepCloneable", "deletable", "deprecatedAndHidden", "feedEnabled", "hasSubtypes", "isInterface",
        "isSubtype", "keyPrefix", "label", "labelPlural", "layoutable", "mergeable", "mruEnabled", "name", "queryable", "replicateable",
        "retrieveable", "searchable", "triggerable", "undeletable", "updateable",
    ];

    private static void WriteBasic(Utf8JsonWriter writer, ObjectSchema schema, string version)
    {
        writer.WriteStartObject();
        foreach (var key in BasicKeys)
        {
            writer.WritePropertyName(key);
            if (schema.Describe[key] is { } node)
            {
                node.WriteTo(writer);
            }
            else if (key.StartsWith("associate", StringComparison.Ordinal))
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteBooleanValue(false);
            }
        }

        writer.WritePropertyName("urls"u8);
        writer.WriteStartObject();
        var root = $"/services/data/v{version}/sobjects/{schema.Name}";
        writer.WriteString("compactLayouts"u8, root + "/describe/compactLayouts");
        writer.WriteString("rowTemplate"u8, root + "/{ID}");
        writer.WriteString("approvalLayouts"u8, root + "/describe/approvalLayouts");
        writer.WriteString("listviews"u8, root + "/listviews");
        writer.WriteString("describe"u8, root + "/describe");
        writer.WriteString("quickActions"u8, root + "/quickActions");
        writer.WriteString("layouts"u8, root + "/describe/layouts");
        writer.WriteString("sobject"u8, root);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static Task GlobalDescribe(HttpContext context, OrgState org, string version)
        => Responses.JsonAsync(context, HttpStatusCode.OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("encoding"u8, "UTF-8");
            writer.WriteNumber("maxBatchSize"u8, 200);
            writer.WriteStartArray("sobjects"u8);
            foreach (var schema in org.Schema.Objects.OrderBy(o => o.Name, StringComparer.Ordinal))
            {
                WriteBasic(writer, schema, version);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });

    private static Task BasicInfo(HttpContext context, OrgState org, string version, string type)
    {
        var schema = Object(org, type);
        List<StoredRecord> recent;
        org.Store.Gate.EnterReadLock();
        try
        {
            recent = [.. org.Store.TableOf(schema).Rows.Where(r => !r.IsDeleted).OrderByDescending(r => r.Modified).Take(5)];
        }
        finally
        {
            org.Store.Gate.ExitReadLock();
        }

        return Responses.JsonAsync(context, HttpStatusCode.OK, writer =>
        {
            writer.WriteStartObject();
            writer.WritePropertyName("objectDescribe"u8);
            WriteBasic(writer, schema, version);
            writer.WriteStartArray("recentItems"u8);
            foreach (var record in recent)
            {
                var output = new OutRecord(schema.Name, record.Id);
                output.Set("Id", record.Id);
                if (schema.NameField is { } name)
                {
                    output.Set(name.Name, record[name], name);
                }

                QueryOutputWriter.WriteRecord(writer, output, version);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static Task Describe(HttpContext context, OrgState org, string version, string type)
    {
        var schema = Object(org, type);
        var modified = org.Schema.LoadedAt;
        context.Response.Headers.LastModified = modified.ToString("R", CultureInfo.InvariantCulture);
        if (context.Request.Headers.IfModifiedSince is { Count: > 0 } since
            && DateTimeOffset.TryParse(since.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sinceDate)
            && modified <= sinceDate.AddSeconds(1))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        return Responses.JsonAsync(context, HttpStatusCode.OK, writer =>
        {
            writer.WriteStartObject();
            foreach (var (key, node) in schema.Describe)
            {
                writer.WritePropertyName(key);
                if (key == "urls" && node is JsonObject urls)
                {
                    writer.WriteStartObject();
                    foreach (var (name, url) in urls)
                    {
                        writer.WriteString(name, url is JsonValue v && v.TryGetValue<string>(out var text)
                            ? System.Text.RegularExpressions.Regex.Replace(text, @"/services/data/v\d+\.\d+/", $"/services/data/v{version}/", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1))
                            : null);
                    }

                    writer.WriteEndObject();
                }
                else if (node is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    node.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        });
    }

    private static async Task Create(HttpContext context, OrgState org, string version, string type)
    {
        var schema = Object(org, type);
        var body = await Responses.ReadBodyAsync(context);
        var id = Insert(org, schema, store => RecordParser.Parse(store, schema, body, create: true));
        await Responses.SaveResultAsync(context, HttpStatusCode.Created, id);
    }

    /// <summary>Validates and inserts one record under the write lock (a create, alone or inside a composite call); returns its id.</summary>
    internal static string Insert(OrgState org, ObjectSchema schema, Func<OrgStore, Dictionary<FieldSchema, object?>> parse)
    {
        org.Store.Gate.EnterWriteLock();
        try
        {
            return org.Store.Insert(schema, parse(org.Store)).Id;
        }
        finally
        {
            org.Store.Gate.ExitWriteLock();
        }
    }

    /// <summary>The record an id path segment names, or Salesforce's error for a malformed, foreign or unknown id.</summary>
    internal static StoredRecord Record(OrgState org, ObjectSchema schema, string id, bool forWrite)
    {
        if (!SalesforceId.TryParse(id, out var parsed))
        {
            throw forWrite
                ? ApiException.BadRequest("MALFORMED_ID", $"Record ID: id value of incorrect type: {id}", "Id")
                : new ApiException(HttpStatusCode.NotFound, "NOT_FOUND", $"Provided external ID field does not exist or is not accessible: {id}");
        }

        if (parsed.KeyPrefix != schema.KeyPrefix)
        {
            throw forWrite ? ApiException.BadRequest("MALFORMED_ID", $"Record ID: id value of incorrect type: {id}", "Id") : ApiException.NotFound();
        }

        var record = org.Store.Find(parsed.Value) ?? throw ApiException.NotFound();
        if (record.IsDeleted)
        {
            throw forWrite ? new ApiException(HttpStatusCode.NotFound, "ENTITY_IS_DELETED", "entity is deleted", []) : ApiException.NotFound();
        }

        return record;
    }

    private static Task Get(HttpContext context, OrgState org, string version, string type, string id)
    {
        var schema = Object(org, type);
        OutRecord output;
        org.Store.Gate.EnterReadLock();
        try
        {
            output = Project(schema, Record(org, schema, id, forWrite: false), context.Request.Query["fields"].ToString());
        }
        finally
        {
            org.Store.Gate.ExitReadLock();
        }

        return Responses.JsonAsync(context, HttpStatusCode.OK, writer => QueryOutputWriter.WriteRecord(writer, output, version));
    }

    /// <summary>A record with every field (or the <c>fields</c> listed), as GET returns it.</summary>
    internal static OutRecord Project(ObjectSchema schema, StoredRecord record, string fieldList)
    {
        var fields = string.IsNullOrWhiteSpace(fieldList)
            ? schema.Fields
            : fieldList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(name => schema.Field(name) ?? throw ApiException.BadRequest("INVALID_FIELD", $"No such column '{name}' on sobject of type {schema.Name}"))
                .ToList();
        var output = new OutRecord(schema.Name, record.Id);
        foreach (var field in fields)
        {
            output.Set(field.Name, field.IsCompound ? WireFormat.Compound(record, field) : record[field], field);
        }

        if (!fields.Any(f => f.Name == "Id") && schema.Field("Id") is { } idField)
        {
            // Salesforce returns the Id with any field list, after the fields asked for.
            output.Set(idField.Name, record.Id, idField);
        }

        return output;
    }

    private static async Task Update(HttpContext context, OrgState org, string version, string type, string id)
    {
        var schema = Object(org, type);
        var body = await Responses.ReadBodyAsync(context);
        org.Store.Gate.EnterWriteLock();
        try
        {
            var record = Record(org, schema, id, forWrite: true);
            org.Store.Update(record, RecordParser.Parse(org.Store, schema, body, create: false, record));
        }
        finally
        {
            org.Store.Gate.ExitWriteLock();
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static Task Delete(HttpContext context, OrgState org, string version, string type, string id)
    {
        var schema = Object(org, type);
        org.Store.Gate.EnterWriteLock();
        try
        {
            DeleteCascading(org, Record(org, schema, id, forWrite: true));
        }
        finally
        {
            org.Store.Gate.ExitWriteLock();
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    /// <summary>Deletes the record and, through cascade-delete relationships, its children.</summary>
    public static void DeleteCascading(OrgState org, StoredRecord record)
    {
        org.Store.Delete(record);
        foreach (var child in record.Schema.ChildRelationships.Where(c => c.CascadeDelete))
        {
            if (org.Schema.Find(child.ChildObject) is not { } childSchema || childSchema.Field(child.Field) is not { } link)
            {
                continue;
            }

            foreach (var row in org.Store.TableOf(childSchema).Rows.Where(r => !r.IsDeleted && Equals(r[link], record.Id)).ToList())
            {
                DeleteCascading(org, row);
            }
        }
    }

    /// <summary>The external id (or idLookup) field of a path, or 404 as Salesforce answers any other name.</summary>
    internal static FieldSchema ExternalField(ObjectSchema schema, string field)
        => schema.Field(field) is { } f && (f.ExternalId || f.IdLookup)
            ? f
            : throw new ApiException(HttpStatusCode.NotFound, "NOT_FOUND", $"Provided external ID field does not exist or is not accessible: {field}");

    internal static IReadOnlyList<StoredRecord> Matches(OrgState org, ObjectSchema schema, FieldSchema field, string value)
        => field.Name == "Id"
            ? (SalesforceId.TryParse(value, out var id) && org.Store.Find(id.Value) is { IsDeleted: false } r && r.Schema == schema ? [r] : [])
            : org.Store.TableOf(schema).Lookup(field, value);

    private static Task MultipleAsync(HttpContext context, IReadOnlyList<StoredRecord> matches, string version)
        => Responses.JsonAsync(context, HttpStatusCode.MultipleChoices, writer =>
        {
            writer.WriteStartArray();
            foreach (var match in matches)
            {
                writer.WriteStringValue($"/services/data/v{version}/sobjects/{match.Schema.Name}/{match.Id}");
            }

            writer.WriteEndArray();
        });

    private static Task GetByExternalId(HttpContext context, OrgState org, string version, string type, string field, string value)
    {
        var schema = Object(org, type);
        var external = ExternalField(schema, field);
        OutRecord? output = null;
        IReadOnlyList<StoredRecord> matches;
        org.Store.Gate.EnterReadLock();
        try
        {
            matches = Matches(org, schema, external, value);
            if (matches.Count == 1)
            {
                output = Project(schema, matches[0], context.Request.Query["fields"].ToString());
            }
        }
        finally
        {
            org.Store.Gate.ExitReadLock();
        }

        return matches.Count switch
        {
            0 => throw ApiException.NotFound(),
            1 => Responses.JsonAsync(context, HttpStatusCode.OK, writer => QueryOutputWriter.WriteRecord(writer, output!, version)),
            _ => MultipleAsync(context, matches, version),
        };
    }

    private static async Task Upsert(HttpContext context, OrgState org, string version, string type, string field, string value)
    {
        var schema = Object(org, type);
        var external = ExternalField(schema, field);
        var body = await Responses.ReadBodyAsync(context);
        string id;
        bool created;
        IReadOnlyList<StoredRecord> matches;
        org.Store.Gate.EnterWriteLock();
        try
        {
            matches = Matches(org, schema, external, value);
            if (matches.Count > 1)
            {
                id = string.Empty;
                created = false;
            }
            else if (matches.Count == 1)
            {
                var values = RecordParser.Parse(org.Store, schema, body, create: false, matches[0], ignore: [external.Name]);
                org.Store.Update(matches[0], values);
                (id, created) = (matches[0].Id, false);
            }
            else if (external.Name == "Id")
            {
                throw ApiException.NotFound();
            }
            else
            {
                var values = RecordParser.Parse(org.Store, schema, body, create: true, ignore: [external.Name]);
                values[external] = RecordParser.Convert(org.Store, schema, external, JsonDocument.Parse(JsonSerializer.Serialize(value)).RootElement);
                (id, created) = (org.Store.Insert(schema, values).Id, true);
            }
        }
        finally
        {
            org.Store.Gate.ExitWriteLock();
        }

        if (matches.Count > 1)
        {
            await MultipleAsync(context, matches, version);
            return;
        }

        await Responses.SaveResultAsync(context, created ? HttpStatusCode.Created : HttpStatusCode.OK, id, created);
    }

    private static Task DeleteByExternalId(HttpContext context, OrgState org, string version, string type, string field, string value)
    {
        var schema = Object(org, type);
        var external = ExternalField(schema, field);
        IReadOnlyList<StoredRecord> matches;
        org.Store.Gate.EnterWriteLock();
        try
        {
            matches = Matches(org, schema, external, value);
            if (matches.Count == 1)
            {
                DeleteCascading(org, matches[0]);
            }
        }
        finally
        {
            org.Store.Gate.ExitWriteLock();
        }

        if (matches.Count == 0)
        {
            throw ApiException.NotFound();
        }

        if (matches.Count > 1)
        {
            return MultipleAsync(context, matches, version);
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private static Task Updated(HttpContext context, OrgState org, string version, string type, bool deleted)
    {
        var schema = Object(org, type);
        var start = Instant(context, "start");
        var end = Instant(context, "end");
        if (end < start)
        {
            throw ApiException.BadRequest("INVALID_REPLICATION_DATE", "startDate must chronologically precede endDate by more than one minute");
        }

        var now = org.Time.GetUtcNow();
        var covered = (end < now ? end : now) is var c ? new DateTimeOffset(c.Year, c.Month, c.Day, c.Hour, c.Minute, 0, TimeSpan.Zero) : default;
        List<StoredRecord> rows;
        org.Store.Gate.EnterReadLock();
        try
        {
            rows = deleted
                ? [.. org.Store.TableOf(schema).Rows.Where(r => r.IsDeleted && r.DeletedAt >= start && r.DeletedAt <= end)]
                : [.. org.Store.TableOf(schema).Rows.Where(r => !r.IsDeleted && r.Modified >= start && r.Modified <= end)];
        }
        finally
        {
            org.Store.Gate.ExitReadLock();
        }

        return Responses.JsonAsync(context, HttpStatusCode.OK, writer =>
        {
            writer.WriteStartObject();
            if (deleted)
            {
                writer.WriteStartArray("deletedRecords"u8);
                foreach (var row in rows)
                {
                    writer.WriteStartObject();
                    writer.WriteString("deletedDate"u8, WireFormat.DateTime(row.DeletedAt!.Value));
                    writer.WriteString("id"u8, row.Id);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteString("earliestDateAvailable"u8, WireFormat.DateTime(org.Schema.LoadedAt));
            }
            else
            {
                writer.WriteStartArray("ids"u8);
                foreach (var row in rows)
                {
                    writer.WriteStringValue(row.Id);
                }

                writer.WriteEndArray();
            }

            writer.WriteString("latestDateCovered"u8, WireFormat.DateTime(covered));
            writer.WriteEndObject();
        });
    }

    private static DateTimeOffset Instant(HttpContext context, string name)
    {
        var text = context.Request.Query[name].ToString();
        if (string.IsNullOrEmpty(text))
        {
            throw ApiException.BadRequest("MISSING_ARGUMENT", $"{name} was not specified");
        }

        return RecordParser.TryDateTime(text, out var instant)
            ? instant
            : throw ApiException.BadRequest("INVALID_REPLICATION_DATE", $"{name}: invalid date format: {text}");
    }

    private static Task Query(HttpContext context, OrgState org, string version, bool includeDeleted)
    {
        var soql = context.Request.Query["q"].ToString();
        if (string.IsNullOrWhiteSpace(soql))
        {
            throw ApiException.BadRequest("MALFORMED_QUERY", "A query string has to be specified");
        }

        var outcome = org.Engine.Execute(soql, includeDeleted);
        var batchSize = BatchSize(context);
        if (outcome.Records.Count <= batchSize)
        {
            return WritePage(context, version, outcome.Records, 0, outcome.Records.Count, outcome.TotalSize, next: null);
        }

        var cursor = org.Cursors.Add(outcome.Records, outcome.TotalSize, batchSize);
        return WritePage(context, version, outcome.Records, 0, batchSize, outcome.TotalSize, $"/services/data/v{version}/{(includeDeleted ? "queryAll" : "query")}/{cursor}-{batchSize}");
    }

    private static Task NextPage(HttpContext context, OrgState org, string version, string locator)
    {
        var dash = locator.LastIndexOf('-');
        if (dash <= 0 || !int.TryParse(locator.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var position)
            || org.Cursors.Get(locator[..dash]) is not { } cursor || position > cursor.Records.Count)
        {
            throw new ApiException(HttpStatusCode.BadRequest, "INVALID_QUERY_LOCATOR", "invalid query locator");
        }

        var count = Math.Min(cursor.BatchSize, cursor.Records.Count - position);
        var end = position + count;
        string? next = null;
        if (end < cursor.Records.Count)
        {
            next = $"/services/data/v{version}/{(context.Request.Path.Value!.Contains("/queryAll/", StringComparison.Ordinal) ? "queryAll" : "query")}/{locator[..dash]}-{end}";
        }
        else
        {
            org.Cursors.Remove(locator[..dash]);
        }

        return WritePage(context, version, cursor.Records, position, count, cursor.TotalSize, next);
    }

    private static int BatchSize(HttpContext context)
    {
        var header = context.Request.Headers["Sforce-Query-Options"].ToString();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("batchSize=", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(part.AsSpan("batchSize=".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                return Math.Clamp(size, 200, 2000);
            }
        }

        return 2000;
    }

    private static Task WritePage(HttpContext context, string version, List<OutRecord> records, int start, int count, int totalSize, string? next)
        => Responses.JsonAsync(context, HttpStatusCode.OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("totalSize"u8, totalSize);
            writer.WriteBoolean("done"u8, next is null);
            if (next is not null)
            {
                writer.WriteString("nextRecordsUrl"u8, next);
            }

            writer.WriteStartArray("records"u8);
            for (var i = start; i < start + count; i++)
            {
                QueryOutputWriter.WriteRecord(writer, records[i], version);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
}
