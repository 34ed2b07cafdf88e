namespace Sdk.Runtime.Records;

/// <summary>What the describe said about an object: names, flags, fields, relationships and record types.</summary>
public sealed class SObjectMetadata
{
    private readonly Lazy<Dictionary<string, FieldMetadata>> _byName;

    /// <summary>Creates the metadata (generated code).</summary>
    public SObjectMetadata()
    {
        _byName = new(() => Fields.ToDictionary(f => f.ApiName, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>The API name, for example <c>Account</c> or <c>SBQQ__Quote__c</c>.</summary>
    public required string ApiName { get; init; }

    /// <summary>The C# type name generated for it.</summary>
    public required string TypeName { get; init; }

    /// <summary>The label.</summary>
    public string Label { get; init; } = string.Empty;

    /// <summary>The plural label.</summary>
    public string LabelPlural { get; init; } = string.Empty;

    /// <summary>The id prefix, for example <c>001</c>.</summary>
    public string? KeyPrefix { get; init; }

    /// <summary>Whether it is a custom object.</summary>
    public bool Custom { get; init; }

    /// <summary>Whether records can be created.</summary>
    public bool Createable { get; init; }

    /// <summary>Whether records can be updated.</summary>
    public bool Updateable { get; init; }

    /// <summary>Whether records can be deleted.</summary>
    public bool Deletable { get; init; }

    /// <summary>Whether it can be queried.</summary>
    public bool Queryable { get; init; }

    /// <summary>Whether it can be searched.</summary>
    public bool Searchable { get; init; }

    /// <summary>Whether deleted records can be restored.</summary>
    public bool Undeletable { get; init; }

    /// <summary>
    /// Whether the type was generated with only some of the object's fields (<c>SalesforceSchemaFields</c>):
    /// <see cref="Fields"/> then lists those, and reading a record by id asks the org for those only.
    /// </summary>
    public bool FieldsSelected { get; init; }

    /// <summary>The fields, in describe order.</summary>
    public IReadOnlyList<FieldMetadata> Fields { get; init; } = [];

    /// <summary>The parent relationships (lookups with a relationship name), for example <c>Contact.Account</c>.</summary>
    public IReadOnlyList<ParentRelationshipMetadata> ParentRelationships { get; init; } = [];

    /// <summary>The child relationships that were generated (named, to a generated child type).</summary>
    public IReadOnlyList<ChildRelationshipMetadata> ChildRelationships { get; init; } = [];

    /// <summary>The record types.</summary>
    public IReadOnlyList<RecordTypeMetadata> RecordTypes { get; init; } = [];

    /// <summary>The record type id by developer name.</summary>
    public IReadOnlyDictionary<string, SalesforceId> RecordTypeIds => RecordTypes.ToDictionary(r => r.DeveloperName, r => r.Id, StringComparer.Ordinal);

    /// <summary>The field with this API name (case-insensitive), or null.</summary>
    public FieldMetadata? FindField(string apiName) => _byName.Value.GetValueOrDefault(apiName);

    /// <inheritdoc/>
    public override string ToString() => ApiName;
}

/// <summary>What the describe said about a field: everything a query builder or validator needs.</summary>
public sealed class FieldMetadata
{
    /// <summary>The API name, for example <c>Name</c> or <c>Invoice_Total__c</c>.</summary>
    public required string ApiName { get; init; }

    /// <summary>The C# property name generated for it.</summary>
    public required string MemberName { get; init; }

    /// <summary>The label.</summary>
    public string Label { get; init; } = string.Empty;

    /// <summary>The field type.</summary>
    public SalesforceFieldType Type { get; init; }

    /// <summary>The field type as the describe names it (for example <c>picklist</c>).</summary>
    public string TypeName { get; init; } = string.Empty;

    /// <summary>The SOAP type, for example <c>xsd:string</c>.</summary>
    public string? SoapType { get; init; }

    /// <summary>The most characters a text field holds.</summary>
    public int Length { get; init; }

    /// <summary>The total digits of a number field.</summary>
    public int Precision { get; init; }

    /// <summary>The digits after the decimal point.</summary>
    public int Scale { get; init; }

    /// <summary>The digits of an integer field.</summary>
    public int Digits { get; init; }

    /// <summary>Whether the field may be null.</summary>
    public bool Nillable { get; init; }

    /// <summary>Whether it can be set on create.</summary>
    public bool Createable { get; init; }

    /// <summary>Whether it can be set on update.</summary>
    public bool Updateable { get; init; }

    /// <summary>Whether it can be used in WHERE.</summary>
    public bool Filterable { get; init; }

    /// <summary>Whether it can be used in ORDER BY.</summary>
    public bool Sortable { get; init; }

    /// <summary>Whether it can be used in GROUP BY.</summary>
    public bool Groupable { get; init; }

    /// <summary>Whether it can be aggregated.</summary>
    public bool Aggregatable { get; init; }

    /// <summary>Whether it is an external id.</summary>
    public bool ExternalId { get; init; }

    /// <summary>Whether it identifies a record for upsert.</summary>
    public bool IdLookup { get; init; }

    /// <summary>Whether values are unique.</summary>
    public bool Unique { get; init; }

    /// <summary>Whether values compare case-sensitively.</summary>
    public bool CaseSensitive { get; init; }

    /// <summary>Whether it is a formula or roll-up.</summary>
    public bool Calculated { get; init; }

    /// <summary>Whether the server sets a default on create.</summary>
    public bool DefaultedOnCreate { get; init; }

    /// <summary>Whether it is an auto-number.</summary>
    public bool AutoNumber { get; init; }

    /// <summary>Whether it is the object's name field.</summary>
    public bool NameField { get; init; }

    /// <summary>Whether it is a custom field.</summary>
    public bool Custom { get; init; }

    /// <summary>Whether it holds HTML.</summary>
    public bool HtmlFormatted { get; init; }

    /// <summary>Whether it is encrypted.</summary>
    public bool Encrypted { get; init; }

    /// <summary>The objects a lookup may point to.</summary>
    public IReadOnlyList<string> ReferenceTo { get; init; } = [];

    /// <summary>The relationship name of a lookup, for example <c>Account</c> for <c>AccountId</c>.</summary>
    public string? RelationshipName { get; init; }

    /// <summary>Whether the lookup may point to several object types.</summary>
    public bool Polymorphic { get; init; }

    /// <summary>The picklist values, in describe order.</summary>
    public IReadOnlyList<PicklistEntry> PicklistValues { get; init; } = [];

    /// <summary>Whether only the listed picklist values are allowed.</summary>
    public bool RestrictedPicklist { get; init; }

    /// <summary>Whether the picklist depends on another field.</summary>
    public bool DependentPicklist { get; init; }

    /// <summary>The controlling field of a dependent picklist.</summary>
    public string? ControllerName { get; init; }

    /// <summary>The compound field this field is part of, for example <c>BillingAddress</c>.</summary>
    public string? CompoundFieldName { get; init; }

    /// <summary>The inline help text.</summary>
    public string? InlineHelpText { get; init; }

    /// <summary>The default value formula, when there is one.</summary>
    public string? DefaultValueFormula { get; init; }

    /// <summary>Whether a query can select it (false for compound-only or deprecated fields).</summary>
    public bool DeprecatedAndHidden { get; init; }

    /// <inheritdoc/>
    public override string ToString() => ApiName;
}

/// <summary>One picklist value.</summary>
/// <param name="Value">The API value.</param>
/// <param name="Label">The label.</param>
/// <param name="Active">Whether it is active.</param>
/// <param name="IsDefault">Whether it is the default.</param>
public sealed record PicklistEntry(string Value, string Label, bool Active, bool IsDefault)
{
    /// <summary>For a dependent picklist: the controlling values this value is allowed for.</summary>
    public IReadOnlyList<string> ValidFor { get; init; } = [];
}

/// <summary>A child relationship, for example <c>Account.Contacts</c>.</summary>
/// <param name="RelationshipName">The relationship name used in subqueries.</param>
/// <param name="ChildSObject">The child object's API name.</param>
/// <param name="Field">The child's lookup field.</param>
/// <param name="MemberName">The C# property name.</param>
/// <param name="CascadeDelete">Whether deleting the parent deletes the children.</param>
public sealed record ChildRelationshipMetadata(string RelationshipName, string ChildSObject, string Field, string MemberName, bool CascadeDelete);

/// <summary>A parent relationship, for example <c>Contact.Account</c> through <c>AccountId</c>.</summary>
/// <param name="RelationshipName">The relationship name used in parent paths (<c>Account.Name</c>).</param>
/// <param name="Field">The lookup field.</param>
/// <param name="MemberName">The C# property name.</param>
/// <param name="ReferenceTo">The objects it may point to.</param>
/// <param name="Polymorphic">Whether it may point to several object types.</param>
public sealed record ParentRelationshipMetadata(string RelationshipName, string Field, string MemberName, IReadOnlyList<string> ReferenceTo, bool Polymorphic);

/// <summary>A record type.</summary>
/// <param name="DeveloperName">The developer name.</param>
/// <param name="Name">The label.</param>
/// <param name="Id">The record type id.</param>
/// <param name="Master">Whether it is the master record type.</param>
/// <param name="Active">Whether it is active.</param>
/// <param name="DefaultRecordTypeMapping">Whether it is the user's default.</param>
public sealed record RecordTypeMetadata(string DeveloperName, string Name, SalesforceId Id, bool Master, bool Active, bool DefaultRecordTypeMapping);

/// <summary>Field types of the describe.</summary>
public enum SalesforceFieldType
{
    /// <summary>A type this SDK does not know; read as JSON.</summary>
    Unknown,

    /// <summary>The record id.</summary>
    Id,

    /// <summary>A lookup or master-detail.</summary>
    Reference,

    /// <summary>Text.</summary>
    String,

    /// <summary>Long or rich text.</summary>
    TextArea,

    /// <summary>Phone.</summary>
    Phone,

    /// <summary>URL.</summary>
    Url,

    /// <summary>Email.</summary>
    Email,

    /// <summary>Encrypted text.</summary>
    EncryptedString,

    /// <summary>Checkbox.</summary>
    Boolean,

    /// <summary>Integer.</summary>
    Int,

    /// <summary>Long integer.</summary>
    Long,

    /// <summary>Number.</summary>
    Double,

    /// <summary>Currency.</summary>
    Currency,

    /// <summary>Percent.</summary>
    Percent,

    /// <summary>Date.</summary>
    Date,

    /// <summary>Date and time.</summary>
    DateTime,

    /// <summary>Time.</summary>
    Time,

    /// <summary>Picklist.</summary>
    Picklist,

    /// <summary>Multi-select picklist.</summary>
    MultiPicklist,

    /// <summary>Combo box (picklist that accepts other values).</summary>
    ComboBox,

    /// <summary>Compound address.</summary>
    Address,

    /// <summary>Compound geolocation.</summary>
    Location,

    /// <summary>Binary content.</summary>
    Base64,

    /// <summary>Any type.</summary>
    AnyType,

    /// <summary>JSON.</summary>
    Json,

    /// <summary>Complex value.</summary>
    ComplexValue,

    /// <summary>Data category group reference.</summary>
    DataCategoryGroupReference,
}
