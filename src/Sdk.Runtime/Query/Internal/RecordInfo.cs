using System.Collections.Concurrent;
using System.Reflection;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Query.Internal;

/// <summary>What the LINQ translator knows about a generated record type: its metadata, keyed by C# member name.</summary>
internal sealed class RecordInfo
{
    private static readonly ConcurrentDictionary<Type, RecordInfo?> Cache = new();

    private readonly Dictionary<string, FieldMetadata> _fields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ParentMember> _parents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ChildMember> _children = new(StringComparer.Ordinal);

    private RecordInfo(Type type, SObjectMetadata metadata)
    {
        Type = type;
        Metadata = metadata;
        foreach (var field in metadata.Fields)
        {
            _fields[field.MemberName] = field;
        }

        foreach (var parent in metadata.ParentRelationships)
        {
            var property = type.GetProperty(parent.MemberName, BindingFlags.Public | BindingFlags.Instance);
            if (property is not null)
            {
                _parents[parent.MemberName] = new ParentMember(parent, property.PropertyType);
            }
        }

        foreach (var child in metadata.ChildRelationships)
        {
            var property = type.GetProperty(child.MemberName, BindingFlags.Public | BindingFlags.Instance);
            if (property is { PropertyType.IsGenericType: true } && property.PropertyType.GetGenericTypeDefinition() == typeof(ChildRecords<>))
            {
                _children[child.MemberName] = new ChildMember(child, property.PropertyType.GetGenericArguments()[0]);
            }
        }

        DefaultFields = [.. metadata.Fields.Where(f => !f.DeprecatedAndHidden).Select(f => f.ApiName)];
    }

    /// <summary>The generated type.</summary>
    public Type Type { get; }

    /// <summary>Its metadata.</summary>
    public SObjectMetadata Metadata { get; }

    /// <summary>The API name.</summary>
    public string Name => Metadata.ApiName;

    /// <summary>The fields a whole-record query selects: every generated field.</summary>
    public string[] DefaultFields { get; }

    /// <summary>The info of a generated record type, or null for other types (<see cref="SObject"/>, <see cref="DynamicSObject"/>).</summary>
    public static RecordInfo? For(Type type) => Cache.GetOrAdd(type, static t => Create(t));

    public FieldMetadata? Field(string member) => _fields.GetValueOrDefault(member);

    public ParentMember? Parent(string member) => _parents.TryGetValue(member, out var p) ? p : null;

    public ChildMember? Child(string member) => _children.TryGetValue(member, out var c) ? c : null;

    private static RecordInfo? Create(Type type)
    {
        if (!typeof(SObject).IsAssignableFrom(type) || type.IsAbstract
            || !type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ISObjectType<>)))
        {
            return null;
        }

        var metadata = type.GetProperty("Metadata", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as SObjectMetadata;
        return metadata is null ? null : new RecordInfo(type, metadata);
    }

    /// <summary>A parent relationship member (<c>Contact.Account</c>) and the member's type.</summary>
    internal sealed record ParentMember(ParentRelationshipMetadata Relationship, Type MemberType);

    /// <summary>A child relationship member (<c>Account.Contacts</c>) and the child record type.</summary>
    internal sealed record ChildMember(ChildRelationshipMetadata Relationship, Type ChildType);
}
