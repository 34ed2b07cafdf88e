using System.Collections.Generic;
using Sdk.Generator.Model;

namespace Sdk.Generator;

public sealed partial class SchemaGenerator
{
    internal const string Rt = "global::Sdk.Runtime.Records.";
    internal const string Json = Rt + "SObjectJson.";

    /// <summary>How one field is typed, read and written.</summary>
    internal sealed record TypeShape(string ClrType, string FieldType, string Read, string Write, string Description);

    internal static TypeShape ShapeOf(FieldSpec field, string? picklistType)
    {
        var len = field.Length > 0 ? "(" + SourceWriter.Int(field.Length) + ")" : string.Empty;
        switch (field.Type)
        {
            case "id":
                return new(Rt + "SalesforceId?", "Id", Json + "ReadId(ref reader)", "WriteId", "Id");
            case "reference":
                return new(Rt + "SalesforceId?", "Reference", Json + "ReadId(ref reader)", "WriteId", "Lookup(" + string.Join(", ", field.ReferenceTo) + ")");
            case "boolean":
                return new("bool?", "Boolean", Json + "ReadBoolean(ref reader)", "WriteBoolean", "Checkbox");
            case "int":
                return new("int?", "Int", Json + "ReadInt32(ref reader)", "WriteInt64", "Number(" + SourceWriter.Int(field.Digits) + ", 0)");
            case "long":
                return new("long?", "Long", Json + "ReadInt64(ref reader)", "WriteInt64", "Long");
            case "double":
                return new("decimal?", "Double", Json + "ReadDecimal(ref reader)", "WriteDecimal", Number("Number", field));
            case "currency":
                return new("decimal?", "Currency", Json + "ReadDecimal(ref reader)", "WriteDecimal", Number("Currency", field));
            case "percent":
                return new("decimal?", "Percent", Json + "ReadDecimal(ref reader)", "WriteDecimal", Number("Percent", field));
            case "date":
                return new("global::System.DateOnly?", "Date", Json + "ReadDate(ref reader)", "WriteDate", "Date");
            case "datetime":
                return new("global::System.DateTimeOffset?", "DateTime", Json + "ReadDateTime(ref reader)", "WriteDateTime", "Date/Time");
            case "time":
                return new("global::System.TimeOnly?", "Time", Json + "ReadTime(ref reader)", "WriteTime", "Time");
            case "picklist":
            case "combobox":
                return new(picklistType + "?", field.Type == "picklist" ? "Picklist" : "ComboBox",
                    Json + "ReadPicklist<" + picklistType + ">(ref reader)", "WritePicklist<" + picklistType + ">",
                    (field.Type == "picklist" ? "Picklist" : "Combo box") + ((field.Flags & FieldFlags.RestrictedPicklist) != 0 ? " (restricted)" : string.Empty));
            case "multipicklist":
                return new(Rt + "PicklistSet<" + picklistType + ">?", "MultiPicklist",
                    Json + "ReadPicklistSet<" + picklistType + ">(ref reader)", "WritePicklistSet<" + picklistType + ">",
                    "Picklist (multi-select)" + ((field.Flags & FieldFlags.RestrictedPicklist) != 0 ? " (restricted)" : string.Empty));
            case "address":
                return new(Rt + "Address?", "Address", Json + "ReadAddress(ref reader)", "WriteAddress", "Address (compound)");
            case "location":
                return new(Rt + "GeoLocation?", "Location", Json + "ReadGeoLocation(ref reader)", "WriteGeoLocation", "Geolocation (compound)");
            case "base64":
                return new(Rt + "SalesforceBlob?", "Base64", Json + "ReadBlob(ref reader)", "WriteBlob", "Binary (fetched on demand)");
            case "anytype":
                return new("global::System.Text.Json.JsonElement?", "AnyType", Json + "ReadElement(ref reader)", "WriteElement", "Any type");
            case "json":
                return new("global::System.Text.Json.JsonElement?", "Json", Json + "ReadElement(ref reader)", "WriteElement", "JSON");
            case "complexvalue":
                return new("global::System.Text.Json.JsonElement?", "ComplexValue", Json + "ReadElement(ref reader)", "WriteElement", "Complex value");
            case "string":
                return new("string?", "String", Json + "ReadString(ref reader)", "WriteString", "Text" + len);
            case "textarea":
                return new("string?", "TextArea", Json + "ReadString(ref reader)", "WriteString", "Text area" + len);
            case "phone":
                return new("string?", "Phone", Json + "ReadString(ref reader)", "WriteString", "Phone" + len);
            case "url":
                return new("string?", "Url", Json + "ReadString(ref reader)", "WriteString", "URL" + len);
            case "email":
                return new("string?", "Email", Json + "ReadString(ref reader)", "WriteString", "Email" + len);
            case "encryptedstring":
                return new("string?", "EncryptedString", Json + "ReadString(ref reader)", "WriteString", "Text (encrypted)" + len);
            case "datacategorygroupreference":
                return new("string?", "DataCategoryGroupReference", Json + "ReadString(ref reader)", "WriteString", "Data category group");
            default:
                return new("global::System.Text.Json.JsonElement?", "Unknown", Json + "ReadElement(ref reader)", "WriteElement", "Unknown type '" + field.Type + "'");
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
