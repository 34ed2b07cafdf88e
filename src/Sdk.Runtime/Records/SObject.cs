using System.ComponentModel;
using System.Text.Json;

namespace Sdk.Runtime.Records;

/// <summary>
/// The base of every record: generated types (<c>Account</c>, <c>Invoice__c</c>) and <see cref="DynamicSObject"/>.
/// </summary>
/// <remarks>
/// <para><b>Unset is not null.</b> A record tracks which fields are set (read from the server or assigned) and which changed
/// (assigned since it was read or last saved). Create and update send only changed fields; a field assigned <c>null</c> is sent
/// as <c>null</c> and clears it. Records read from the server start with no changes.</para>
/// <para>Fields the record's type does not know (a newer schema, an aggregate alias) are kept in <see cref="AdditionalFields"/>.</para>
/// </remarks>
public abstract class SObject
{
    /// <summary>Stands for an empty <see cref="SalesforceId"/> in <see cref="_id"/> (compared by reference).</summary>
    private static readonly string EmptyId = new('\0', 1);

    // Every record's memory is cleared when it is made, and bulk reads make millions: what few records use is kept apart.
    // Tracking bits: the first 128 members inline (no allocation for most objects), the rest in arrays.
    private ulong _set0;
    private ulong _set1;
    private ulong _changed0;
    private ulong _changed1;
    private Rare? _rare;
    private string? _id; // the id's text, or EmptyId
    private string? _attributesType;
    private string? _attributesUrl;

    /// <summary>What few records need: tracking past 128 members, fields the type does not declare, attributes set by hand.</summary>
    private sealed class Rare
    {
        public ulong[]? SetMore;
        public ulong[]? ChangedMore;
        public Dictionary<string, JsonElement>? Additional;
        public SObjectAttributes? Attributes;
    }

    /// <summary>The record id. Never sent in a body: it names the record in the URL.</summary>
    public SalesforceId? Id
    {
        get => _id is null ? null : ReferenceEquals(_id, EmptyId) ? default(SalesforceId) : SalesforceId.FromStored(_id);
        set => _id = value is not { } id ? null : id.IsEmpty ? EmptyId : id.Value;
    }

    /// <summary>The <c>attributes</c> object the server sent (type and URL), or set for composite reference ids.</summary>
    public SObjectAttributes? Attributes
    {
        get => _rare?.Attributes ?? (_attributesType is null ? null : new SObjectAttributes(_attributesType, _attributesUrl));
        set
        {
            if (value is not null || _rare is not null)
            {
                (_rare ??= new()).Attributes = value;
            }

            _attributesType = null;
            _attributesUrl = null;
        }
    }

    /// <summary>Keeps the attributes as read, building <see cref="Attributes"/> only when asked, each time (generated readers).</summary>
    internal void SetReadAttributes(string type, string? url)
    {
        _rare?.Attributes = null;
        _attributesType = type;
        _attributesUrl = url;
    }

    /// <summary>The object's API name, for example <c>Account</c>.</summary>
    public abstract string SObjectType { get; }

    /// <summary>Fields present in the JSON that this type does not declare, kept as they were.</summary>
    public IReadOnlyDictionary<string, JsonElement> AdditionalFields => _rare?.Additional ?? (IReadOnlyDictionary<string, JsonElement>)EmptyFields;

    private static readonly Dictionary<string, JsonElement> EmptyFields = [];

    /// <summary>The object's metadata.</summary>
    public abstract SObjectMetadata GetMetadata();

    /// <summary>Whether any field changed since the record was read or last saved.</summary>
    public virtual bool HasChanges => (_changed0 | _changed1) != 0 || (_rare?.ChangedMore is { } c && Array.Exists(c, static w => w != 0));

    /// <summary>The API names of the fields (and relationships) changed since the record was read or last saved.</summary>
    public virtual IReadOnlyList<string> ChangedFields
    {
        get
        {
            var names = TrackedMembers;
            var list = new List<string>();
            for (var i = 0; i < names.Count; i++)
            {
                if (TestChanged(i))
                {
                    list.Add(names[i]);
                }
            }

            return list;
        }
    }

    /// <summary>Whether the field with this API name changed.</summary>
    public virtual bool IsChanged(string apiName) => IndexOf(apiName) is var i && i >= 0 && TestChanged(i);

    /// <summary>Whether the field with this API name is set (read from the server or assigned).</summary>
    public virtual bool IsSet(string apiName) => IndexOf(apiName) is var i && i >= 0 && TestSet(i);

    /// <summary>Forgets the changes: the record now matches what the server holds (called after a successful save).</summary>
    public virtual void AcceptChanges()
    {
        _changed0 = _changed1 = 0;
        if (_rare?.ChangedMore is { } c)
        {
            Array.Clear(c);
        }
    }

    /// <summary>Marks every set field as changed (for example to copy a record into a new one).</summary>
    public virtual void MarkAllSetFieldsChanged()
    {
        _changed0 = _set0;
        _changed1 = _set1;
        if (_rare?.SetMore is { } more)
        {
            _rare.ChangedMore = (ulong[])more.Clone();
        }
    }

    /// <summary>The value of a field by API name (boxed), or null when unset or unknown.</summary>
    public abstract object? GetFieldValue(string apiName);

    /// <summary>Writes the changed fields the operation may send (the body of a create, update or upsert).</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="mode">The operation: create sends createable fields, update updateable ones.</param>
    /// <param name="options">The serializer options.</param>
    public abstract void WriteChanges(Utf8JsonWriter writer, SObjectWriteMode mode, JsonSerializerOptions options);

    /// <summary>Writes the record as Salesforce shapes it: <c>attributes</c>, then every set field and relationship.</summary>
    public abstract void WriteJson(Utf8JsonWriter writer, JsonSerializerOptions options);

    /// <summary>The API names of the tracked members, in index order (generated code).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected abstract IReadOnlyList<string> TrackedMembers { get; }

    /// <summary>Marks a member as assigned: set and changed (generated setters).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected void MarkAssigned(int index)
    {
        Mark(ref _set0, ref _set1, index, changed: false);
        Mark(ref _changed0, ref _changed1, index, changed: true);
    }

    /// <summary>Marks a member as read from the server: set, not changed (generated readers).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    protected void MarkLoaded(int index)
    {
        if (index < 64)
        {
            _set0 |= 1UL << index;
        }
        else
        {
            Mark(ref _set0, ref _set1, index, changed: false);
        }
    }

    /// <summary>Whether a member is set (generated writers).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected bool IsMemberSet(int index) => TestSet(index);

    /// <summary>Whether a member changed (generated writers).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected bool IsMemberChanged(int index) => TestChanged(index);

    /// <summary>Keeps a field the type does not declare (generated readers).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected internal void AddAdditionalField(string name, JsonElement value)
        => ((_rare ??= new()).Additional ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal))[name] = value;

    /// <summary>Writes the fields kept in <see cref="AdditionalFields"/> (generated writers).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected void WriteAdditionalFields(Utf8JsonWriter writer)
    {
        if (_rare?.Additional is not { } additional)
        {
            return;
        }

        foreach (var (name, value) in additional)
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }
    }

    /// <summary>Reads one tracked member from a CSV field; an empty field is null (generated code).</summary>
    /// <param name="member">The member index.</param>
    /// <param name="value">The field's text.</param>
    /// <param name="pool">The column's string pool, which shares text read before.</param>
    /// <returns>False for members CSV does not hold (relationships, compound and binary fields).</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected virtual bool ReadCsvMember(int member, ReadOnlySpan<char> value, Bulk.Csv.CsvStringPool pool) => false;

    /// <summary>
    /// Reads tracked members from consecutive fields of the current CSV row, one a column, as <see cref="ReadCsvMember"/>
    /// does each, up to the first entry of <paramref name="members"/> that is not a member CSV holds (negative, a
    /// relationship, a compound or binary field), which is left to the caller (generated code).
    /// </summary>
    /// <param name="members">The member of each column.</param>
    /// <param name="reader">The reader, on the row.</param>
    /// <param name="field">The row's field of the first column.</param>
    /// <param name="pools">The string pool of each column.</param>
    /// <returns>How many columns were read.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected virtual int ReadCsvMembers(ReadOnlySpan<int> members, Bulk.Csv.CsvReader reader, int field, ReadOnlySpan<Bulk.Csv.CsvStringPool> pools) => 0;

    /// <summary>
    /// Writes tracked members as CSV fields in Bulk API's formats, null as <c>#N/A</c>, one a column, up to the first entry of
    /// <paramref name="members"/> that is not a member index (negative); a member not selected, or one CSV does not hold
    /// (relationships, compound and binary fields), as an empty field (generated code).
    /// </summary>
    /// <param name="members">The member of each column.</param>
    /// <param name="writer">The writer.</param>
    /// <param name="changedOnly">Whether only changed members are selected (else every set one).</param>
    /// <param name="alwaysMember">A member selected whenever it is set, whatever <paramref name="changedOnly"/> says.</param>
    /// <returns>How many columns were written.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected virtual int WriteCsvMembers(ReadOnlySpan<int> members, Bulk.Csv.CsvWriter writer, bool changedOnly, int alwaysMember)
    {
        for (var i = 0; i < members.Length; i++)
        {
            if (members[i] < 0)
            {
                return i;
            }

            SObjectCsv.WriteEmpty(writer);
        }

        return members.Length;
    }

    /// <summary>Whether a member is to be written to CSV (generated code; see <see cref="WriteCsvMembers"/>).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected bool CsvSelected(int member, bool changedOnly, int alwaysMember) => IsCsvSelected(member, changedOnly, alwaysMember);

    /// <summary>The rule of <see cref="CsvSelected"/>, for the runtime's own columns (parents, coverage).</summary>
    internal bool IsCsvSelected(int member, bool changedOnly, int alwaysMember = int.MinValue)
        => changedOnly && member != alwaysMember ? MemberChanged(member) : MemberSet(member);

    /// <summary>The parent record of a relationship member, created (and marked loaded) when asked and possible (generated code).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected virtual SObject? CsvParent(int member, bool create) => null;

    // The runtime's entry points to the generated CSV members (protected, so that assemblies with internals access override them too).
    internal bool ReadCsv(int member, ReadOnlySpan<char> value, Bulk.Csv.CsvStringPool pool) => ReadCsvMember(member, value, pool);

    internal int ReadCsv(ReadOnlySpan<int> members, Bulk.Csv.CsvReader reader, int field, ReadOnlySpan<Bulk.Csv.CsvStringPool> pools)
        => ReadCsvMembers(members, reader, field, pools);

    internal int WriteCsv(ReadOnlySpan<int> members, Bulk.Csv.CsvWriter writer, bool changedOnly, int alwaysMember)
        => WriteCsvMembers(members, writer, changedOnly, alwaysMember);

    internal SObject? ParentForCsv(int member, bool create) => CsvParent(member, create);

    /// <summary>The tracked member names (API names of fields and relationships), in index order.</summary>
    internal IReadOnlyList<string> Members => TrackedMembers;

    /// <summary>The index of a tracked member by API name (case-insensitive), or -1.</summary>
    internal int MemberIndex(string apiName) => IndexOf(apiName);

    /// <summary>Whether the member at <paramref name="index"/> changed.</summary>
    internal bool MemberChanged(int index) => index < 64 ? (_changed0 & (1UL << index)) != 0 : TestChanged(index);

    /// <summary>Whether the member at <paramref name="index"/> is set.</summary>
    internal bool MemberSet(int index) => index < 64 ? (_set0 & (1UL << index)) != 0 : TestSet(index);

    private int IndexOf(string apiName)
    {
        var names = TrackedMembers;
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], apiName, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Sets a member's bit in <paramref name="first"/>, <paramref name="second"/>, or past 128 the set or changed bits kept apart.</summary>
    private void Mark(ref ulong first, ref ulong second, int index, bool changed)
    {
        if (index < 64)
        {
            first |= 1UL << index;
        }
        else if (index < 128)
        {
            second |= 1UL << (index - 64);
        }
        else
        {
            var rare = _rare ??= new();
            ref var more = ref changed ? ref rare.ChangedMore : ref rare.SetMore;
            var i = index - 128;
            if (more is null || more.Length <= i >> 6)
            {
                Array.Resize(ref more, (i >> 6) + 1);
            }

            more[i >> 6] |= 1UL << (i & 63);
        }
    }

    private bool TestSet(int index) => Test(_set0, _set1, _rare?.SetMore, index);

    private bool TestChanged(int index) => Test(_changed0, _changed1, _rare?.ChangedMore, index);

    private static bool Test(ulong first, ulong second, ulong[]? more, int index)
    {
        if (index < 64)
        {
            return (first & (1UL << index)) != 0;
        }

        if (index < 128)
        {
            return (second & (1UL << (index - 64))) != 0;
        }

        var i = index - 128;
        return more is not null && (i >> 6) < more.Length && (more[i >> 6] & (1UL << (i & 63))) != 0;
    }

    /// <summary>The type and id, for debugging.</summary>
    public override string ToString() => Id is { } id ? $"{SObjectType} {id}" : $"{SObjectType} (new)";
}

/// <summary>The <c>attributes</c> object of a record.</summary>
/// <param name="Type">The object's API name.</param>
/// <param name="Url">The record's REST URL, when the server sent it.</param>
public sealed record SObjectAttributes(string Type, string? Url)
{
    /// <summary>The reference id of a composite tree record.</summary>
    public string? ReferenceId { get; init; }
}

/// <summary>Which fields a write sends.</summary>
public enum SObjectWriteMode
{
    /// <summary>Create: changed fields that are createable.</summary>
    Create,

    /// <summary>Update: changed fields that are updateable (create-only fields are left out).</summary>
    Update,

    /// <summary>Upsert: changed fields that are createable or updateable.</summary>
    Upsert,

    /// <summary>A reference to a parent by external id inside another record's body: the changed fields as they are.</summary>
    Reference,
}
