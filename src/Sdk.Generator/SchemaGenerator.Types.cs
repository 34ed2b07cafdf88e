using System.Collections.Generic;
using Sdk.Generator.Model;

namespace Sdk.Generator;

public sealed partial class SchemaGenerator
{
    internal const string Rt = "global::Sdk.Runtime.Records.";
    internal const string Json = Rt + "SObjectJson.";

    /// <summary>How one field is typed, read and written.</summary>
    internal sealed record TypeShape(string ClrType, string FieldType, string Read, string Write, string Description)
    {
        /// <summary>The backing field's type (a canonical string for ids and picklists, to keep records small).</summary>
        public string BackingType { get; init; } = ClrType;

        /// <summary>How the property reads the backing field ({0} is the field).</summary>
        public string Get { get; init; } = "{0}";

        /// <summary>How the property stores a value ({0} is <c>value</c>).</summary>
        public string Set { get; init; } = "{0}";
    }

    internal static TypeShape Stored(TypeShape shape, FieldSpec field, string? picklistType)
    {
        switch (field.Type)
        {
            case "id":
            case "reference":
                return shape with
                {
                    BackingType = "string?",
                    Read = Json + "ReadIdValue",
                    Write = "WriteString",
                    Get = "{0} is { } __v ? " + Rt + "SalesforceId.FromCanonical(__v) : (" + Rt + "SalesforceId?)null",
                    Set = "{0} is { IsEmpty: false } __v ? __v.Value : (string?)null",
                };
            case "picklist":
            case "combobox":
                return shape with
                {
                    BackingType = "string?",
                    Read = Json + "ReadPicklistValue<" + picklistType + ">",
                    Write = "WriteString",
                    Get = "{0} is { } __v ? " + picklistType + ".FromValue(__v) : (" + picklistType + "?)null",
                    Set = "{0}?.Value",
                };
            default:
                return HeldAsValue(field) ? shape with { BackingType = shape.ClrType.Substring(0, shape.ClrType.Length - 1) } : shape;
        }
    }

    /// <summary>
    /// Field types whose record field is the value itself, with a presence bit (<c>SObjectValues</c>), not a
    /// <see cref="System.Nullable{T}"/>, whose flag pads a <c>decimal?</c> or a <c>DateTimeOffset?</c> to 24 bytes.
    /// </summary>
    internal static bool HeldAsValue(FieldSpec field)
        => field.Type is "boolean" or "int" or "long" or "double" or "currency" or "percent" or "date" or "datetime" or "time";

    internal static TypeShape ShapeOf(FieldSpec field, string? picklistType)
    {
        var len = field.Length > 0 ? "(" + SourceWriter.Int(field.Length) + ")" : string.Empty;
        switch (field.Type)
        {
            case "id":
                return new(Rt + "SalesforceId?", "Id", Json + "ReadId", "WriteId", "Id");
            case "reference":
                return new(Rt + "SalesforceId?", "Reference", Json + "ReadId", "WriteId", "Lookup(" + string.Join(", ", field.ReferenceTo) + ")");
            case "boolean":
                return new("bool?", "Boolean", Json + "ReadBoolean", "WriteBoolean", "Checkbox");
            case "int":
                return new("int?", "Int", Json + "ReadInt32", "WriteInt64", "Number(" + SourceWriter.Int(field.Digits) + ", 0)");
            case "long":
                return new("long?", "Long", Json + "ReadInt64", "WriteInt64", "Long");
            case "double":
                return new("decimal?", "Double", Json + "ReadDecimal", "WriteDecimal", Number("Number", field));
            case "currency":
                return new("decimal?", "Currency", Json + "ReadDecimal", "WriteDecimal", Number("Currency", field));
            case "percent":
                return new("decimal?", "Percent", Json + "ReadDecimal", "WriteDecimal", Number("Percent", field));
            case "date":
                return new("global::System.DateOnly?", "Date", Json + "ReadDate", "WriteDate", "Date");
            case "datetime":
                return new("global::System.DateTimeOffset?", "DateTime", Json + "ReadDateTime", "WriteDateTime", "Date/Time");
            case "time":
                return new("global::System.TimeOnly?", "Time", Json + "ReadTime", "WriteTime", "Time");
            case "picklist":
            case "combobox":
                return new(picklistType + "?", field.Type == "picklist" ? "Picklist" : "ComboBox",
                    Json + "ReadPicklist<" + picklistType + ">", "WritePicklist<" + picklistType + ">",
                    (field.Type == "picklist" ? "Picklist" : "Combo box") + ((field.Flags & FieldFlags.RestrictedPicklist) != 0 ? " (restricted)" : string.Empty));
            case "multipicklist":
                return new(Rt + "PicklistSet<" + picklistType + ">?", "MultiPicklist",
                    Json + "ReadPicklistSet<" + picklistType + ">", "WritePicklistSet<" + picklistType + ">",
                    "Picklist (multi-select)" + ((field.Flags & FieldFlags.RestrictedPicklist) != 0 ? " (restricted)" : string.Empty));
            case "address":
                return new(Rt + "Address?", "Address", Json + "ReadAddress", "WriteAddress", "Address (compound)");
            case "location":
                return new(Rt + "GeoLocation?", "Location", Json + "ReadGeoLocation", "WriteGeoLocation", "Geolocation (compound)");
            case "base64":
                return new(Rt + "SalesforceBlob?", "Base64", Json + "ReadBlob", "WriteBlob", "Binary (fetched on demand)");
            case "anytype":
                return new("global::System.Text.Json.JsonElement?", "AnyType", Json + "ReadElement", "WriteElement", "Any type");
            case "json":
                return new("global::System.Text.Json.JsonElement?", "Json", Json + "ReadElement", "WriteElement", "JSON");
            case "complexvalue":
                return new("global::System.Text.Json.JsonElement?", "ComplexValue", Json + "ReadElement", "WriteElement", "Complex value");
            case "string":
                return new("string?", "String", Json + "ReadString", "WriteString", "Text" + len);
            case "textarea":
                return new("string?", "TextArea", Json + "ReadString", "WriteString", "Text area" + len);
            case "phone":
                return new("string?", "Phone", Json + "ReadString", "WriteString", "Phone" + len);
            case "url":
                return new("string?", "Url", Json + "ReadString", "WriteString", "URL" + len);
            case "email":
                return new("string?", "Email", Json + "ReadString", "WriteString", "Email" + len);
            case "encryptedstring":
                return new("string?", "EncryptedString", Json + "ReadString", "WriteString", "Text (encrypted)" + len);
            case "datacategorygroupreference":
                return new("string?", "DataCategoryGroupReference", Json + "ReadString", "WriteString", "Data category group");
            default:
                return new("global::System.Text.Json.JsonElement?", "Unknown", Json + "ReadElement", "WriteElement", "Unknown type '" + field.Type + "'");
        }
    }

    private static string Number(string kind, FieldSpec field)
        => kind + "(" + SourceWriter.Int(field.Precision - field.Scale) + ", " + SourceWriter.Int(field.Scale) + ")";

    internal static bool IsPicklist(FieldSpec field) => field.Type is "picklist" or "multipicklist" or "combobox";

    /// <summary>The flags worth showing in a field's documentation.</summary>
    internal static IEnumerable<string> FlagNotes(FieldSpec field)
    {
        var f = field.Flags;
        var createable = (f & FieldFlags.Createable) != 0;
        var updateable = (f & FieldFlags.Updateable) != 0;
        if (!createable && !updateable)
        {
            yield return "Read-only";
        }
        else if (createable && !updateable)
        {
            yield return "Create-only: left out of updates";
        }
        else if (!createable)
        {
            yield return "Update-only";
        }

        if (createable && (f & FieldFlags.Nillable) == 0 && (f & FieldFlags.DefaultedOnCreate) == 0 && field.Type != "boolean")
        {
            yield return "Required on create";
        }

        if ((f & FieldFlags.ExternalId) != 0)
        {
            yield return "External id";
        }

        if ((f & FieldFlags.Unique) != 0)
        {
            yield return "Unique";
        }

        if ((f & FieldFlags.Calculated) != 0)
        {
            yield return (f & FieldFlags.AutoNumber) != 0 ? "Auto-number" : "Formula";
        }

        var query = new List<string>();
        if ((f & FieldFlags.Filterable) != 0)
        {
            query.Add("filterable");
        }

        if ((f & FieldFlags.Sortable) != 0)
        {
            query.Add("sortable");
        }

        if ((f & FieldFlags.Groupable) != 0)
        {
            query.Add("groupable");
        }

        if (query.Count > 0)
        {
            yield return char.ToUpperInvariant(query[0][0]) + string.Join(", ", query).Substring(1);
        }
    }
}
