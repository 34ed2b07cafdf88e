using System.Globalization;
using System.Net;
using System.Text.Json;
using Sdk.Emulator.Rest;
using Sdk.Emulator.Schema;
using Sdk.Runtime.Records;

namespace Sdk.Emulator.Data;

/// <summary>Reads a create or update body into field values, validating as Salesforce does and failing with its error codes.</summary>
internal static class RecordParser
{
    public static Dictionary<FieldSchema, object?> Parse(OrgStore store, ObjectSchema schema, ReadOnlySpan<byte> body, bool create, StoredRecord? existing = null,
        IReadOnlyCollection<string>? ignore = null)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException ex)
        {
            throw ApiException.BadRequest("JSON_PARSER_ERROR", $"Unexpected character in the request body at [line:{(ex.LineNumber ?? 0) + 1}, column:{(ex.BytePositionInLine ?? 0) + 1}]");
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw ApiException.BadRequest("JSON_PARSER_ERROR", "Cannot deserialize instance of " + schema.Name + " from " + Token(doc.RootElement) + " value or request may be missing a required field at [line:1, column:1]");
            }

            return Parse(store, schema, doc.RootElement, create, existing, ignore);
        }
    }

    public static Dictionary<FieldSchema, object?> Parse(OrgStore store, ObjectSchema schema, JsonElement body, bool create, StoredRecord? existing = null,
        IReadOnlyCollection<string>? ignore = null)
    {
        var values = new Dictionary<FieldSchema, object?>();
        foreach (var property in body.EnumerateObject())
        {
            if (property.NameEquals("attributes"u8) || (ignore is not null && ignore.Contains(property.Name, StringComparer.OrdinalIgnoreCase)))
            {
                continue;
            }

            var field = schema.Field(property.Name);
            if (field is null && schema.Relationship(property.Name) is { } lookup && property.Value.ValueKind == JsonValueKind.Object)
            {
                values[lookup] = ResolveByExternalId(store, schema, lookup, property.Value);
                continue;
            }

            if (field is null)
            {
                throw ApiException.BadRequest("INVALID_FIELD", $"No such column '{property.Name}' on sobject of type {schema.Name}");
            }

            if (field.Name == "Id")
            {
                if (create)
                {
                    throw ApiException.BadRequest("INVALID_FIELD_FOR_INSERT_UPDATE", "Record ID: cannot specify Id in an insert call", "Id");
                }

                if (existing is not null && property.Value.ValueKind == JsonValueKind.String
                    && SalesforceId.TryParse(property.Value.GetString(), out var given) && given.Value == existing.Id)
                {
                    continue;
                }

                throw ApiException.BadRequest("INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: Id. Please check the security settings of this field and verify that it is read/write for your profile or permission set.", "Id");
            }

            if (create ? !field.Createable : !field.Updateable)
            {
                throw ApiException.BadRequest("INVALID_FIELD_FOR_INSERT_UPDATE",
                    $"Unable to create/update fields: {field.Name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.", field.Name);
            }

            values[field] = Convert(store, schema, field, property.Value);
        }

        Validate(schema, values, create, existing);
        return values;
    }

    private static void Validate(ObjectSchema schema, Dictionary<FieldSchema, object?> values, bool create, StoredRecord? existing)
    {
        List<string>? missing = null;
        foreach (var field in schema.Writes.Required)
        {
            var provided = values.TryGetValue(field, out var value);
            if ((create && (!provided || value is null)) || (!create && provided && value is null))
            {
                (missing ??= []).Add(field.Name);
            }
        }

        if (missing is not null)
        {
            throw new ApiException(HttpStatusCode.BadRequest, "REQUIRED_FIELD_MISSING", $"Required fields are missing: [{string.Join(", ", missing)}]", missing);
        }

        foreach (var (field, value) in values)
        {
            if (field.DependentPicklist && value is string dependent && field.ControllerName is { } controllerName && schema.Field(controllerName) is { } controller)
            {
                var controllingValue = values.TryGetValue(controller, out var v) ? v : existing?[controller];
                if (controllingValue is not null && !IsValidFor(field, controller, dependent, controllingValue))
                {
                    throw ApiException.BadRequest("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                        $"{field.Label}: bad value for restricted picklist field: {dependent}", field.Name);
                }
            }
        }
    }

    private static bool IsValidFor(FieldSchema dependent, FieldSchema controller, string value, object controllingValue)
    {
        var entry = dependent.PicklistValues.FirstOrDefault(p => p.Value.Equals(value, StringComparison.OrdinalIgnoreCase));
        if (entry is null || entry.ValidFor.Count == 0)
        {
            return entry is not null || !dependent.RestrictedPicklist;
        }

        var index = controllingValue is bool b
            ? (b ? 1 : 0)
            : controller.PicklistValues.Select((p, i) => (p, i)).FirstOrDefault(x => x.p.Value.Equals(controllingValue as string, StringComparison.OrdinalIgnoreCase)).i;
        return entry.ValidFor.Contains(index);
    }

    private static string ResolveByExternalId(OrgStore store, ObjectSchema schema, FieldSchema lookup, JsonElement reference)
    {
        var targetName = reference.TryGetProperty("attributes", out var attributes) && attributes.TryGetProperty("type", out var type) ? type.GetString() : lookup.ReferenceTo.FirstOrDefault();
        var target = targetName is null ? null : store.Schema.Find(targetName);
        foreach (var property in reference.EnumerateObject())
        {
            if (property.NameEquals("attributes"u8))
            {
                continue;
            }

            var field = target?.Field(property.Name);
            if (target is null || field is null || !(field.ExternalId || field.IdLookup))
            {
                throw ApiException.BadRequest("INVALID_FIELD", $"Field name provided, {property.Name} is not an External ID or indexed field for {targetName}");
            }

            var value = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            var matches = field.Name == "Id"
                ? (store.Find(value) is { IsDeleted: false } byId ? [byId] : [])
                : store.TableOf(target).Lookup(field, value);
            return matches.Count switch
            {
                0 => throw ApiException.BadRequest("INVALID_FIELD", $"Foreign key external ID: {value} not found for field {field.Name} in entity {target.Name}"),
                1 => matches[0].Id,
                _ => throw ApiException.BadRequest("INVALID_FIELD", $"Foreign key external ID: {value} matches more than one record for field {field.Name} in entity {target.Name}"),
            };
        }

        throw ApiException.BadRequest("INVALID_FIELD", $"The relationship {lookup.RelationshipName} needs an external ID field and value");
    }

    /// <summary>A JSON value as the field's stored value, or the error Salesforce gives for it.</summary>
    public static object? Convert(OrgStore store, ObjectSchema schema, FieldSchema field, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        switch (field.Type)
        {
            case "boolean":
                return value.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.String when bool.TryParse(value.GetString(), out var b) => b,
                    _ => throw ParserError("boolean", value),
                };
            case "int":
            case "double":
            case "currency":
            case "percent":
            case "long":
                decimal number;
                if (value.ValueKind == JsonValueKind.Number ? !value.TryGetDecimal(out number)
                    : value.ValueKind != JsonValueKind.String || !decimal.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number))
                {
                    throw ParserError(field.Type == "int" ? "int" : "double", value);
                }

                return field.Type is "int" or "long" ? decimal.Truncate(number) : number;
            case "date":
                if (value.ValueKind == JsonValueKind.String && TryDate(value.GetString()!, out var date))
                {
                    return date;
                }

                throw ParserError("date", value);
            case "datetime":
                if (value.ValueKind == JsonValueKind.String && TryDateTime(value.GetString()!, out var instant))
                {
                    return instant;
                }

                throw ParserError("datetime", value);
            case "time":
                if (value.ValueKind == JsonValueKind.String && TimeOnly.TryParse(value.GetString()!.TrimEnd('Z'), CultureInfo.InvariantCulture, out var time))
                {
                    return time;
                }

                throw ParserError("time", value);
            case "reference":
            case "id":
                return Reference(store, field, Text(field, value));
            case "json":
            case "anyType":
            case "complexvalue":
                return value.GetRawText();
            case "picklist":
            case "multipicklist":
                var text = Text(field, value);
                if (field.RestrictedPicklist)
                {
                    foreach (var part in field.Type == "multipicklist" ? text.Split(';') : [text])
                    {
                        if (!field.PicklistValues.Any(p => p.Active && p.Value.Equals(part, StringComparison.Ordinal)))
                        {
                            throw ApiException.BadRequest("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", $"{field.Label}: bad value for restricted picklist field: {part}", field.Name);
                        }
                    }
                }

                return Length(field, text);
            default:
                return Length(field, Text(field, value));
        }
    }

    private static string Text(FieldSchema field, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => throw ParserError("String", value),
    };

    private static string Length(FieldSchema field, string text)
    {
        if (field.Length > 0 && text.Length > field.Length && field.Type is not ("picklist" or "multipicklist" or "combobox"))
        {
            throw ApiException.BadRequest("STRING_TOO_LONG", $"{field.Label}: data value too large: {Shorten(text)} (max length={field.Length})", field.Name);
        }

        return text;
    }

    private static string Reference(OrgStore store, FieldSchema field, string text)
    {
        if (text.Length == 0)
        {
            return text;
        }

        if (!SalesforceId.TryParse(text, out var id))
        {
            throw ApiException.BadRequest("MALFORMED_ID", $"{field.Label}: id value of incorrect type: {text}", field.Name);
        }

        var known = field.ReferenceTo.Select(store.Schema.Find).OfType<ObjectSchema>().ToList();
        if (known.Count > 0 && !known.Any(o => o.KeyPrefix == id.KeyPrefix) && field.ReferenceTo.Count == known.Count)
        {
            throw ApiException.BadRequest("FIELD_INTEGRITY_EXCEPTION", $"{field.Label}: id value of incorrect type: {text}", field.Name);
        }

        if (known.Any(o => o.KeyPrefix == id.KeyPrefix) && store.Find(id.Value) is not { IsDeleted: false })
        {
            throw ApiException.BadRequest("INVALID_CROSS_REFERENCE_KEY", $"{field.Label}: invalid cross reference id", field.Name);
        }

        return id.Value;
    }

    public static bool TryDate(string text, out DateOnly date)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            return true;
        }

        if (TryDateTime(text, out var instant))
        {
            date = DateOnly.FromDateTime(instant.UtcDateTime);
            return true;
        }

        return false;
    }

    public static bool TryDateTime(string text, out DateTimeOffset instant)
    {
        // Salesforce writes +0000; ISO 8601 readers want +00:00.
        if (text.Length > 5 && (text[^5] is '+' or '-') && char.IsDigit(text[^1]) && text[^3] != ':')
        {
            text = text[..^2] + ":" + text[^2..];
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant);
    }

    private static ApiException ParserError(string type, JsonElement value)
        => ApiException.BadRequest("JSON_PARSER_ERROR",
            $"Cannot deserialize instance of {type} from {Token(value)} value {Shorten(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText())} or request may be missing a required field");

    private static string Token(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "VALUE_STRING",
        JsonValueKind.Number => "VALUE_NUMBER_INT",
        JsonValueKind.True => "VALUE_TRUE",
        JsonValueKind.False => "VALUE_FALSE",
        JsonValueKind.Object => "START_OBJECT",
        JsonValueKind.Array => "START_ARRAY",
        _ => "VALUE_NULL",
    };

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
