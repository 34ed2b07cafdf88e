using Microsoft.CodeAnalysis;

namespace Sdk.Generator;

/// <summary>The generator's diagnostics. IDs are stable; see AnalyzerReleases.*.md.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "Sdk.Generator";

    public static readonly DiagnosticDescriptor MalformedJson = new(
        "SFGEN001", "Malformed schema JSON", "Schema file '{0}' is not valid JSON at line {1}, column {2}: {3}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A describe file could not be read as JSON; no type is generated from it. Other files are not affected.");

    public static readonly DiagnosticDescriptor NotADescribe = new(
        "SFGEN002", "File is not an sObject describe", "Schema file '{0}' is not an sObject describe: {1}",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "A describe is the body of GET /sobjects/{X}/describe (or the sf CLI's {status,result} wrapper of it): an object with 'name' and 'fields'. Mark other JSON files SalesforceSchema=\"false\".");

    public static readonly DiagnosticDescriptor DuplicateObject = new(
        "SFGEN003", "Duplicate sObject", "Schema file '{0}' describes '{1}', which '{2}' already describes; this file is ignored",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnknownFieldType = new(
        "SFGEN004", "Unknown field type", "Field '{0}.{1}' has type '{2}', which this generator does not know; it is generated as JsonElement?",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor RenamedMember = new(
        "SFGEN005", "Member renamed", "'{0}' is generated as '{1}' because '{2}' {3}",
        Category, DiagnosticSeverity.Info, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidField = new(
        "SFGEN006", "Invalid field entry", "Schema file '{0}' has a field entry without {1}; it is skipped",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidOption = new(
        "SFGEN007", "Invalid generator option", "MSBuild property '{0}' has the value '{1}', which is not {2}; using '{3}'",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnreadableFile = new(
        "SFGEN008", "Schema file could not be read", "Schema file '{0}' could not be read",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor GenerationFailed = new(
        "SFGEN009", "Object could not be generated", "'{0}' could not be generated because of a generator defect ({1}); other objects are not affected. Please report this with the describe file.",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnknownSelectedField = new(
        "SFGEN010", "Selected field not in the describe", "SalesforceSchemaFields lists '{1}' for '{0}', but schema file '{2}' has no field or relationship of that name; it is ignored",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "A misspelt name, or a field deleted from the org since the list was written. The other selected fields are generated.");

    public static readonly DiagnosticDescriptor UnknownSelectedObject = new(
        "SFGEN011", "Fields selected for an object no schema file describes", "SalesforceSchemaFields selects fields of '{0}', which no schema file describes; the entry is ignored",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static DiagnosticDescriptor? Find(string id) => id switch
    {
        "SFGEN009" => GenerationFailed,
        "SFGEN010" => UnknownSelectedField,
        "SFGEN011" => UnknownSelectedObject,
        "SFGEN001" => MalformedJson,
        "SFGEN002" => NotADescribe,
        "SFGEN003" => DuplicateObject,
        "SFGEN004" => UnknownFieldType,
        "SFGEN005" => RenamedMember,
        "SFGEN006" => InvalidField,
        "SFGEN007" => InvalidOption,
        "SFGEN008" => UnreadableFile,
        _ => null,
    };
}
