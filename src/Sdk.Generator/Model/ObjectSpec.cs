namespace Sdk.Generator.Model;

/// <summary>One sObject as read from its describe file.</summary>
/// <remarks>
/// Caching contract: an immutable record with value equality, built from the file text alone. It holds no Roslyn symbol,
/// syntax node, location or compilation, so an edit to C# code never invalidates it and an edit to another describe file
/// leaves it equal.
/// </remarks>
internal sealed record ObjectSpec(
    string Path,
    string ApiName,
    string Label,
    string LabelPlural,
    string? KeyPrefix,
    bool Custom,
    bool Createable,
    bool Updateable,
    bool Deletable,
    bool Queryable,
    bool Searchable,
    bool Undeletable,
    EquatableArray<FieldSpec> Fields,
    EquatableArray<ChildRelationshipSpec> ChildRelationships,
    EquatableArray<RecordTypeSpec> RecordTypes)
{
    /// <summary>Whether only some fields are generated (<c>SalesforceSchemaFields</c> lists the object).</summary>
    public bool FieldsSelected { get; init; }
}

/// <summary>One field of a describe. Caching contract as <see cref="ObjectSpec"/>.</summary>
internal sealed record FieldSpec(
    string ApiName,
    string Label,
    string Type,
    string? SoapType,
    int Length,
    int Precision,
    int Scale,
    int Digits,
    FieldFlags Flags,
    EquatableArray<string> ReferenceTo,
    string? RelationshipName,
    EquatableArray<PicklistValueSpec> PicklistValues,
    string? ControllerName,
    string? CompoundFieldName,
    string? InlineHelpText,
    string? DefaultValueFormula,
    string? CalculatedFormula,
    int Line);

/// <summary>A field's boolean attributes.</summary>
[System.Flags]
internal enum FieldFlags
{
    None = 0,
    Nillable = 1 << 0,
    Createable = 1 << 1,
    Updateable = 1 << 2,
    Filterable = 1 << 3,
    Sortable = 1 << 4,
    Groupable = 1 << 5,
    Aggregatable = 1 << 6,
    ExternalId = 1 << 7,
    IdLookup = 1 << 8,
    Unique = 1 << 9,
    CaseSensitive = 1 << 10,
    Calculated = 1 << 11,
    DefaultedOnCreate = 1 << 12,
    AutoNumber = 1 << 13,
    NameField = 1 << 14,
    Custom = 1 << 15,
    HtmlFormatted = 1 << 16,
    Encrypted = 1 << 17,
    Polymorphic = 1 << 18,
    RestrictedPicklist = 1 << 19,
    DependentPicklist = 1 << 20,
    DeprecatedAndHidden = 1 << 21,
}

/// <summary>A picklist value. <see cref="ValidFor"/> is the raw base64 bitmap of a dependent picklist.</summary>
internal sealed record PicklistValueSpec(string Value, string Label, bool Active, bool IsDefault, string? ValidFor);

/// <summary>A child relationship of a describe.</summary>
internal sealed record ChildRelationshipSpec(string ChildSObject, string Field, string? RelationshipName, bool CascadeDelete);

/// <summary>A record type of a describe.</summary>
internal sealed record RecordTypeSpec(string DeveloperName, string Name, string Id, bool Master, bool Active, bool DefaultMapping);
