using System.Globalization;
using Sdk.Emulator.Schema;
using Sdk.Runtime.Records;

namespace Sdk.Emulator.Data;

/// <summary>
/// The records of a local org. One reader-writer lock guards them: queries read under the read lock, writes take the write
/// lock; no lock is held across an await.
/// </summary>
internal sealed class OrgStore
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private readonly Dictionary<string, Table> _tables = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, long> _autoNumbers = new(StringComparer.OrdinalIgnoreCase);
    private readonly AsyncLocal<Journal?> _journal = new();
    private long _sequence;

    public OrgStore(SchemaSet schema, TimeProvider time)
    {
        Schema = schema;
        Time = time;
        foreach (var obj in schema.Objects)
        {
            _tables[obj.Name] = new Table(obj);
        }
    }

    public SchemaSet Schema { get; }

    public TimeProvider Time { get; }

    public ReaderWriterLockSlim Gate { get; } = new(LockRecursionPolicy.SupportsRecursion);

    /// <summary>The id of the user the org's tokens act as (set when the org creates its user).</summary>
    public string UserId { get; set; } = string.Empty;

    public int Count => _tables.Values.Sum(t => t.Rows.Count);

    /// <summary>The id sequence (saved with the data so restored orgs never reuse an id).</summary>
    public long Sequence
    {
        get => Interlocked.Read(ref _sequence);
        set => _sequence = Math.Max(_sequence, value);
    }

    public IReadOnlyDictionary<string, long> AutoNumbers => _autoNumbers;

    public void RestoreAutoNumber(string objectName, long last) => _autoNumbers[objectName] = last;

    /// <summary>Puts back a saved record as it was (id, values, deletion, modification time).</summary>
    public void Restore(StoredRecord record)
    {
        var table = _tables[record.Schema.Name];
        table.Rows.Add(record);
        table.ById[record.Id] = record;
        table.IndexInsert(record);
    }

    public Table TableOf(ObjectSchema schema) => _tables[schema.Name];

    /// <summary>Removes every record of one object, deleted or not (benchmarks start each round from the same store).</summary>
    public void Truncate(ObjectSchema schema)
    {
        Gate.EnterWriteLock();
        try
        {
            _tables[schema.Name].Clear();
        }
        finally
        {
            Gate.ExitWriteLock();
        }
    }

    /// <summary>
    /// Starts recording the writes of the current request (its async flow) so they can be undone: composite all-or-none,
    /// graphs and trees. Dispose the journal to stop recording; call <see cref="Journal.Rollback"/> first to undo.
    /// </summary>
    public Journal BeginJournal()
    {
        var journal = new Journal(this);
        _journal.Value = journal;
        return journal;
    }

    public IEnumerable<Table> Tables => _tables.Values;

    /// <summary>The record with this id (15 or 18 characters), deleted or not; null when the id is malformed or unknown.</summary>
    public StoredRecord? Find(string id)
    {
        if (!SalesforceId.TryParse(id, out var parsed))
        {
            return null;
        }

        return Schema.ByPrefix(parsed.KeyPrefix) is { } obj && _tables[obj.Name].ById.TryGetValue(parsed.Value, out var record) ? record : null;
    }

    /// <summary>A new id with the object's prefix and a valid checksum.</summary>
    public string NewId(ObjectSchema schema)
    {
        var n = Interlocked.Increment(ref _sequence);
        Span<char> chars = stackalloc char[15];
        schema.KeyPrefix.AsSpan().CopyTo(chars);
        chars[3] = '5';
        chars[4] = 'e';
        chars[5] = '0';
        for (var i = 14; i >= 6; i--)
        {
            chars[i] = Base62[(int)(n % 62)];
            n /= 62;
        }

        return SalesforceId.Parse(chars, provider: null).Value;
    }

    /// <summary>Inserts a record: id, audit fields, defaults, the person name and auto-numbers set as the server sets them.</summary>
    public StoredRecord Insert(ObjectSchema schema, IReadOnlyDictionary<FieldSchema, object?> values, string? id = null)
    {
        var now = Time.GetUtcNow();
        object boxedNow = now;
        var record = new StoredRecord(schema, id ?? NewId(schema), new object?[schema.Fields.Count]) { Modified = now };
        var plan = schema.Writes;
        foreach (var (field, value) in plan.Defaults)
        {
            record[field] = value;
        }

        foreach (var field in plan.AutoNumbers)
        {
            var next = _autoNumbers.TryGetValue(schema.Name, out var last) ? last + 1 : 1000;
            _autoNumbers[schema.Name] = next;
            record[field] = next.ToString("D8", CultureInfo.InvariantCulture);
        }

        foreach (var (field, value) in values)
        {
            record[field] = value;
        }

        Set(record, plan.Id, record.Id);
        if (plan.OwnerId is { } owner && record[owner] is null)
        {
            record[owner] = UserId;
        }

        Set(record, plan.CreatedById, UserId);
        Set(record, plan.CreatedDate, boxedNow);
        Set(record, plan.IsDeleted, False);
        Touch(record, now, boxedNow);
        var table = _tables[schema.Name];
        table.Rows.Add(record);
        table.ById[record.Id] = record;
        table.IndexInsert(record);
        _journal.Value?.Inserted(record, table);
        return record;
    }

    public void Update(StoredRecord record, IReadOnlyDictionary<FieldSchema, object?> values)
    {
        var table = _tables[record.Schema.Name];
        _journal.Value?.BeforeChange(record, table);
        table.IndexRemove(record);
        foreach (var (field, value) in values)
        {
            record[field] = value;
        }

        var now = Time.GetUtcNow();
        Touch(record, now, now);
        table.IndexInsert(record);
    }

    /// <summary>Soft delete: the record stays, with IsDeleted, visible to queryAll and getDeleted.</summary>
    public void Delete(StoredRecord record)
    {
        var now = Time.GetUtcNow();
        _journal.Value?.BeforeChange(record, _tables[record.Schema.Name]);
        record.IsDeleted = true;
        record.DeletedAt = now;
        Set(record, record.Schema.Writes.IsDeleted, True);
        Touch(record, now, now);
    }

    /// <summary>Sets the audit fields of a write; <paramref name="boxedNow"/> is <paramref name="now"/> boxed once for all of them.</summary>
    private void Touch(StoredRecord record, DateTimeOffset now, object boxedNow)
    {
        var plan = record.Schema.Writes;
        record.Modified = now;
        Set(record, plan.LastModifiedDate, boxedNow);
        Set(record, plan.SystemModstamp, boxedNow);
        Set(record, plan.LastModifiedById, UserId);
        if (plan.PersonName is var (name, first, last))
        {
            var firstName = first is null ? null : record[first] as string;
            var lastName = record[last] as string;
            record[name] = string.IsNullOrEmpty(firstName) ? lastName ?? string.Empty : string.IsNullOrEmpty(lastName) ? firstName : firstName + " " + lastName;
        }
    }

    private static readonly object True = true;
    private static readonly object False = false;

    private static void Set(StoredRecord record, FieldSchema? field, object? value)
    {
        if (field is not null)
        {
            record[field] = value;
        }
    }

    /// <summary>The undo log of one request's writes (composite and graph units, trees; they never nest).</summary>
    internal sealed class Journal(OrgStore store) : IDisposable
    {
        private readonly List<Action> _undo = [];
        private readonly HashSet<StoredRecord> _saved = new(ReferenceEqualityComparer.Instance);

        public void Inserted(StoredRecord record, Table table)
        {
            _undo.Add(() =>
            {
                table.IndexRemove(record);
                var at = table.Rows.LastIndexOf(record);
                if (at >= 0)
                {
                    table.Rows.RemoveAt(at);
                }

                table.ById.Remove(record.Id);
            });
        }

        public void BeforeChange(StoredRecord record, Table table)
        {
            if (!_saved.Add(record))
            {
                return;
            }

            var values = (object?[])record.Values.Clone();
            var (deleted, deletedAt, modified) = (record.IsDeleted, record.DeletedAt, record.Modified);
            _undo.Add(() =>
            {
                table.IndexRemove(record);
                values.CopyTo(record.Values, 0);
                record.IsDeleted = deleted;
                record.DeletedAt = deletedAt;
                record.Modified = modified;
                table.IndexInsert(record);
            });
        }

        /// <summary>Undoes every recorded write, newest first.</summary>
        public void Rollback()
        {
            store.Gate.EnterWriteLock();
            try
            {
                for (var i = _undo.Count - 1; i >= 0; i--)
                {
                    _undo[i]();
                }
            }
            finally
            {
                store.Gate.ExitWriteLock();
            }

            _undo.Clear();
            _saved.Clear();
        }

        public void Dispose() => store._journal.Value = null;
    }

    /// <summary>The records of one object, in insertion order, with lookups by id and by external id.</summary>
    internal sealed class Table(ObjectSchema schema)
    {
        private readonly Dictionary<string, Dictionary<string, List<StoredRecord>>> _indexes = new(StringComparer.OrdinalIgnoreCase);

        public ObjectSchema Schema { get; } = schema;

        public List<StoredRecord> Rows { get; } = [];

        public Dictionary<string, StoredRecord> ById { get; } = new(StringComparer.Ordinal);

        /// <summary>Live records whose field equals the value (case-insensitively), through an index built on first use.</summary>
        public IReadOnlyList<StoredRecord> Lookup(FieldSchema field, string value)
        {
            if (!_indexes.TryGetValue(field.Name, out var index))
            {
                index = new Dictionary<string, List<StoredRecord>>(StringComparer.OrdinalIgnoreCase);
                foreach (var row in Rows)
                {
                    Add(index, field, row);
                }

                _indexes[field.Name] = index;
            }

            return index.TryGetValue(value, out var list) ? list.Where(r => !r.IsDeleted).ToList() : [];
        }

        public void Clear()
        {
            Rows.Clear();
            ById.Clear();
            _indexes.Clear();
        }

        public void IndexInsert(StoredRecord record)
        {
            foreach (var (name, index) in _indexes)
            {
                Add(index, Schema.Field(name)!, record);
            }
        }

        public void IndexRemove(StoredRecord record)
        {
            foreach (var (name, index) in _indexes)
            {
                if (Key(record[Schema.Field(name)!]) is { } key && index.TryGetValue(key, out var list))
                {
                    list.Remove(record);
                }
            }
        }

        private static void Add(Dictionary<string, List<StoredRecord>> index, FieldSchema field, StoredRecord record)
        {
            if (Key(record[field]) is { } key)
            {
                if (!index.TryGetValue(key, out var list))
                {
                    index[key] = list = new List<StoredRecord>(1);
                }

                list.Add(record);
            }
        }

        private static string? Key(object? value) => value switch
        {
            null => null,
            string s => s,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
    }
}
