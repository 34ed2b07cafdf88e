using System.Text.Json.Nodes;

namespace Sdk.Emulator.Schema;

/// <summary>An sObject as the local org knows it: its describe (served as loaded) and what the engine needs from it.</summary>
internal sealed class ObjectSchema
{
    private readonly Dictionary<string, FieldSchema> _fields = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, FieldSchema> _relationships = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ChildRelationship> _children = new(StringComparer.OrdinalIgnoreCase);

    public ObjectSchema(string name, string keyPrefix, JsonObject describe, IReadOnlyList<FieldSchema> fields)
    {
        Name = name;
        KeyPrefix = keyPrefix;
        Describe = describe;
        Fields = fields;
        for (var i = 0; i < fields.Count; i++)
        {
            fields[i].Ordinal = i;
            _fields[fields[i].Name] = fields[i];
            if (fields[i].RelationshipName is { } relationship)
            {
                _relationships[relationship] = fields[i];
            }
        }

        Label = (string?)describe["label"] ?? name;
        LabelPlural = (string?)describe["labelPlural"] ?? name;
        Custom = (bool?)describe["custom"] ?? name.EndsWith("__c", StringComparison.OrdinalIgnoreCase);
    }

    public string Name { get; }

    public string KeyPrefix { get; }

    public string Label { get; }

    public string LabelPlural { get; }

    public bool Custom { get; }

    /// <summary>The describe as loaded (child relationships the org derived are appended).</summary>
    public JsonObject Describe { get; }

    public IReadOnlyList<FieldSchema> Fields { get; }

    public IEnumerable<ChildRelationship> ChildRelationships => _children.Values;

    public FieldSchema? Field(string name) => _fields.GetValueOrDefault(name);

    /// <summary>The lookup field of a parent relationship name (<c>Account</c> → <c>AccountId</c>).</summary>
    public FieldSchema? Relationship(string name) => _relationships.GetValueOrDefault(name);

    public ChildRelationship? Child(string relationshipName) => _children.GetValueOrDefault(relationshipName);

    public void AddChild(ChildRelationship child) => _children.TryAdd(child.RelationshipName, child);

    public FieldSchema? NameField => Fields.FirstOrDefault(f => f.NameField) ?? Field("Name");

    private WritePlan? _writePlan;

    /// <summary>What every insert and update of this object does, worked out once (the schema never changes).</summary>
    public WritePlan Writes => _writePlan ??= new WritePlan(this);

    public override string ToString() => Name;
}

/// <summary>The fields an insert fills in, the audit fields a write sets, and the fields a create requires.</summary>
internal sealed class WritePlan
{
    public WritePlan(ObjectSchema schema)
    {
        var defaults = new List<(FieldSchema, object?)>();
        var autoNumbers = new List<FieldSchema>();
        foreach (var field in schema.Fields)
        {
            if (field.Type == "boolean" && field.DefaultedOnCreate)
            {
                defaults.Add((field, string.Equals(field.DefaultValue, "true", StringComparison.OrdinalIgnoreCase)));
            }
            else if (field.Type is "picklist" or "multipicklist" && field.PicklistValues.FirstOrDefault(p => p.IsDefault) is { } defaultValue)
            {
                defaults.Add((field, defaultValue.Value));
            }
            else if (field.AutoNumber)
            {
                autoNumbers.Add(field);
            }
        }

        Defaults = defaults;
        AutoNumbers = autoNumbers;
        Required = schema.Fields.Where(f => f.Createable && !f.Nillable && !f.DefaultedOnCreate && f.Type != "boolean").ToArray();
        Id = schema.Field("Id");
        OwnerId = schema.Field("OwnerId");
        CreatedById = schema.Field("CreatedById");
        CreatedDate = schema.Field("CreatedDate");
        IsDeleted = schema.Field("IsDeleted");
        LastModifiedDate = schema.Field("LastModifiedDate");
        SystemModstamp = schema.Field("SystemModstamp");
        LastModifiedById = schema.Field("LastModifiedById");
        if (schema.Field("Name") is { Createable: false, Calculated: false, AutoNumber: false, Type: "string" } name && schema.Field("LastName") is { } last)
        {
            PersonName = (name, schema.Field("FirstName"), last);
        }
    }

    public IReadOnlyList<(FieldSchema Field, object? Value)> Defaults { get; }

    public IReadOnlyList<FieldSchema> AutoNumbers { get; }

    public IReadOnlyList<FieldSchema> Required { get; }

    public FieldSchema? Id { get; }

    public FieldSchema? OwnerId { get; }

    public FieldSchema? CreatedById { get; }

    public FieldSchema? CreatedDate { get; }

    public FieldSchema? IsDeleted { get; }

    public FieldSchema? LastModifiedDate { get; }

    public FieldSchema? SystemModstamp { get; }

    public FieldSchema? LastModifiedById { get; }

    /// <summary>For people (Contact, Lead, User): the read-only Name composed of FirstName and LastName.</summary>
    public (FieldSchema Name, FieldSchema? First, FieldSchema Last)? PersonName { get; }
}

/// <summary>A child relationship: <c>Account.Contacts</c> is Contact through AccountId.</summary>
internal sealed record ChildRelationship(string RelationshipName, string ChildObject, string Field, bool CascadeDelete);

/// <summary>A field as the engine needs it.</summary>
internal sealed class FieldSchema
{
    public required string Name { get; init; }

    public required string Type { get; init; }

    public int Ordinal { get; set; }

    public string Label { get; init; } = string.Empty;

    public int Length { get; init; }

    public int Precision { get; init; }

    public int Scale { get; init; }

    public bool Nillable { get; init; }

    public bool Createable { get; init; }

    public bool Updateable { get; init; }

    public bool DefaultedOnCreate { get; init; }

    public bool ExternalId { get; init; }

    public bool IdLookup { get; init; }

    public bool Unique { get; init; }

    public bool Calculated { get; init; }

    public bool AutoNumber { get; init; }

    public bool NameField { get; init; }

    public bool Filterable { get; init; } = true;

    public bool Sortable { get; init; } = true;

    public bool Groupable { get; init; } = true;

    public bool RestrictedPicklist { get; init; }

    public bool DependentPicklist { get; init; }

    public string? ControllerName { get; init; }

    public string? CompoundFieldName { get; init; }

    public IReadOnlyList<string> ReferenceTo { get; init; } = [];

    public string? RelationshipName { get; init; }

    public bool Polymorphic => ReferenceTo.Count > 1;

    public IReadOnlyList<PicklistValue> PicklistValues { get; init; } = [];

    public string? DefaultValue { get; init; }

    public bool IsReference => Type == "reference" || Type == "id";

    public bool IsText => Type is "string" or "textarea" or "phone" or "url" or "email" or "picklist" or "multipicklist" or "combobox"
        or "encryptedstring" or "id" or "reference";

    /// <summary>Compound fields (addresses, locations) are computed from their components.</summary>
    public bool IsCompound => Type is "address" or "location";

    public override string ToString() => Name;
}

/// <summary>One picklist value; <see cref="ValidFor"/> lists the controlling values (indexes) of a dependent picklist.</summary>
internal sealed record PicklistValue(string Value, string Label, bool Active, bool IsDefault, IReadOnlyList<int> ValidFor);
