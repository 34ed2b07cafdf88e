using System.Buffers;
using System.Text.Json;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Bulk.Csv;

/// <summary>Which fields of a record a CSV row carries.</summary>
public enum CsvFieldSelection
{
    /// <summary>Every field that is set (read from the server or assigned): for exports and copies.</summary>
    Set,

    /// <summary>Only changed fields; unchanged ones are left empty, which Bulk API reads as "leave as is" (for ingest).</summary>
    Changed,
}

/// <summary>
/// The columns of a typed CSV file, resolved once per header against the generated record type: fields by API name,
/// <c>Id</c>, parent fields by relationship (<c>Account.External_Id__c</c>), and the rest kept as unknown.
/// </summary>
internal sealed class CsvRecordMap<T>
    where T : SObject, ISObjectType<T>
{
    private const int IdMember = -1;
    private const int Unknown = -2;
    private const int Direct = -3;
    private readonly Column[] _columns;
    private readonly int[] _plan; // for reading and writing: the record's member for a column of its own field, else -1
    private readonly CsvStringPool[] _pools; // the string pools of the columns, for readers on one thread
    private readonly bool[] _held; // by member: whether a column holds it (parents too: their record is written)
    private readonly HashSet<(int Member, int Nested)> _parentFields = []; // the parents' fields the columns hold
    private readonly bool[] _parents; // by member: whether the columns hold fields of its parent record

    private readonly record struct Column(string Name, int Member, int Nested);

    public CsvRecordMap(IReadOnlyList<string> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        Header = header;
        var template = T.Create();
        _columns = new Column[header.Count];
        _plan = new int[header.Count];
        _pools = NewPools();
        _held = new bool[template.Members.Count];
        _parents = new bool[template.Members.Count];
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i];
            if (!seen.Add(name))
            {
                throw new ArgumentException($"Column '{name}' appears twice in the CSV header of {T.SObjectName}.", nameof(header));
            }

            _columns[i] = Resolve(template, name);
            if (_columns[i].Member >= 0)
            {
                _held[_columns[i].Member] = true;
            }

            if (_columns[i] is { Member: >= 0, Nested: >= 0 })
            {
                _parentFields.Add((_columns[i].Member, _columns[i].Nested));
                _parents[_columns[i].Member] = true;
            }

            _plan[i] = _columns[i] is { Member: >= 0, Nested: Direct } ? _columns[i].Member : -1;
        }
    }

    /// <summary>The header, as given.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>The map of a header row read from CSV (row 1).</summary>
    /// <exception cref="CsvFormatException">The header repeats a column.</exception>
    public static CsvRecordMap<T> FromHeaderRow(string[] header)
    {
        try
        {
            return new CsvRecordMap<T>(header);
        }
        catch (ArgumentException ex)
        {
            throw new CsvFormatException(ex.Message, ex) { Line = 1, Record = 1 };
        }
    }

    /// <summary>The error for CSV without even a header row.</summary>
    public static CsvFormatException NoHeader() => new($"The CSV for {T.SObjectName} is empty: it has no header row.") { Line = 1 };

    private static Column Resolve(T template, string name)
    {
        if (name.Equals("Id", StringComparison.OrdinalIgnoreCase))
        {
            return new(name, IdMember, Direct);
        }

        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            var member = template.MemberIndex(name);
            return member >= 0 && T.Metadata.FindField(name) is not null ? new(name, member, Direct) : new(name, Unknown, Direct);
        }

        // A parent path: Account.External_Id__c (one level: what Bulk API accepts for writes and returns for reads).
        var relationship = template.MemberIndex(name[..dot]);
        var rest = name[(dot + 1)..];
        if (relationship < 0 || rest.Contains('.', StringComparison.Ordinal) || template.ParentForCsv(relationship, create: true) is not { } parent)
        {
            return new(name, Unknown, Direct);
        }

        if (rest.Equals("Id", StringComparison.OrdinalIgnoreCase))
        {
            return new(name, relationship, IdMember);
        }

        var nested = parent.MemberIndex(rest);
        return nested >= 0 && parent.GetMetadata().FindField(rest) is not null ? new(name, relationship, nested) : new(name, Unknown, Direct);
    }

    /// <summary>A string pool for each column, for a reader on another thread (pools count their hits and misses unsynchronized).</summary>
    public CsvStringPool[] NewPools()
    {
        var pools = new CsvStringPool[Header.Count];
        for (var i = 0; i < pools.Length; i++)
        {
            pools[i] = new CsvStringPool();
        }

        return pools;
    }

    /// <summary>Reads the current row (from column <paramref name="offset"/> on) into a new record.</summary>
    /// <exception cref="CsvFormatException">A value does not fit its field; names the column, line and record.</exception>
    public T Read(CsvReader reader, int offset = 0) => Read(reader, _pools, offset);

    /// <summary>Reads the current row (from column <paramref name="offset"/> on) into a new record, with the given column pools.</summary>
    /// <exception cref="CsvFormatException">A value does not fit its field; names the column, line and record.</exception>
    public T Read(CsvReader reader, CsvStringPool[] pools, int offset = 0)
    {
        // Runs of columns holding the record's own fields are read by its generated code in one call; the others (Id,
        // unknown columns, parents' fields, fields CSV does not hold) one at a time here.
        var record = T.Create();
        var count = Math.Max(0, Math.Min(_columns.Length, reader.FieldCount - offset));
        var plan = _plan.AsSpan(0, count);
        var i = 0;
        try
        {
            i = record.ReadCsv(plan, reader, offset, pools);
            while (i < count)
            {
                ReadField(record, reader.GetSpan(offset + i), in _columns[i], pools[i]);
                i++;
                i += record.ReadCsv(plan[i..], reader, offset + i, pools.AsSpan(i));
            }
        }
        catch (FormatException ex) when (ex is not CsvFormatException)
        {
            throw Invalid(reader, pools, offset, i, count, ex);
        }

        return record;
    }

    /// <summary>
    /// The error for a value that does not fit its field, in a column from <paramref name="from"/> on: a run read in one call
    /// does not say which column failed, so each is read again on its own, into a record thrown away, to name it.
    /// </summary>
    private CsvFormatException Invalid(CsvReader reader, CsvStringPool[] pools, int offset, int from, int count, FormatException ex)
    {
        var column = from;
        var probe = T.Create();
        for (var c = from; c < count; c++)
        {
            try
            {
                ReadField(probe, reader.GetSpan(offset + c), in _columns[c], pools[c]);
            }
            catch (FormatException again) when (again is not CsvFormatException)
            {
                (column, ex) = (c, again);
                break;
            }
        }

        return new CsvFormatException($"Invalid value in column '{_columns[column].Name}' ({T.SObjectName}) at record {reader.RowNumber}: {ex.Message}", ex)
        {
            Record = reader.RowNumber,
        };
    }

    private static void ReadField(T record, ReadOnlySpan<char> value, in Column column, CsvStringPool pool)
    {
        if (column.Member == Unknown)
        {
            if (!value.IsEmpty)
            {
                record.AddAdditionalField(column.Name, StringElement(value));
            }
        }
        else if (column.Nested == Direct)
        {
            Set(record, column.Member, value, column.Name, pool);
        }
        else if (!value.IsEmpty && record.ParentForCsv(column.Member, create: true) is { } parent)
        {
            Set(parent, column.Nested, value, column.Name, pool);
        }
    }

    private static void Set(SObject record, int member, ReadOnlySpan<char> value, string name, CsvStringPool pool)
    {
        if (member == IdMember)
        {
            record.Id = value.IsEmpty ? null
                : pool.GetId(value) is { } id ? SalesforceId.FromCanonical(id) : throw new FormatException($"'{value}' is not an id.");
        }
        else if (!record.ReadCsv(member, value, pool) && !value.IsEmpty)
        {
            record.AddAdditionalField(name, StringElement(value));
        }
    }

    /// <summary>Writes one record as a row: a column's field when selected, else an empty field.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="record">The record.</param>
    /// <param name="selection">Which fields to write.</param>
    /// <param name="alwaysMember">A member written whenever it is set (an upsert's external id), whatever the selection.</param>
    public void Write(CsvWriter writer, T record, CsvFieldSelection selection, int alwaysMember = int.MinValue)
    {
        // Runs of columns holding the record's own fields (the usual ones) are written by its generated code in one call; the
        // others (Id, unknown columns, parents' fields) one at a time here.
        var changedOnly = selection == CsvFieldSelection.Changed;
        var plan = _plan.AsSpan();
        var i = record.WriteCsv(plan, writer, changedOnly, alwaysMember);
        while (i < plan.Length)
        {
            WriteOther(writer, record, in _columns[i], selection);
            i++;
            i += record.WriteCsv(plan[i..], writer, changedOnly, alwaysMember);
        }

        writer.EndRow();
    }

    /// <summary>A column other than a field of the record: an unknown one, <c>Id</c>, or a parent's field.</summary>
    private static void WriteOther(CsvWriter writer, T record, in Column column, CsvFieldSelection selection)
    {
        if (column.Member == Unknown)
        {
            writer.WriteField(record.AdditionalFields.TryGetValue(column.Name, out var extra) ? ExtraText(extra) : null);
        }
        else if (column.Nested == IdMember)
        {
            WriteId(writer, record.ParentForCsv(column.Member, create: false) is { } parent && Selected(record, column.Member, selection) ? parent : null);
        }
        else if (column.Nested == Direct)
        {
            WriteId(writer, record); // the record's own Id (its fields are written by the record)
        }
        else if (record.ParentForCsv(column.Member, create: false) is { } parent && Selected(record, column.Member, selection))
        {
            parent.WriteCsv([column.Nested], writer, changedOnly: false, int.MinValue);
        }
        else
        {
            writer.WriteEmptyField();
        }
    }

    private static void WriteId(CsvWriter writer, SObject? record)
        => writer.WriteField(record?.Id is { IsEmpty: false, IsReference: false } id ? id.Value : null);

    private static bool Selected(SObject record, int member, CsvFieldSelection selection)
        => record.IsCsvSelected(member, changedOnly: selection == CsvFieldSelection.Changed);

    /// <summary>Whether every selected member of the record has a column (else the record needs another header).</summary>
    public bool Covers(T record, CsvFieldSelection selection, Func<string, bool> include)
    {
        var members = record.Members;
        for (var m = 0; m < members.Count; m++)
        {
            if (Selected(record, m, selection) && include(members[m]) && (!_held[m] || (_parents[m] && !CoversParent(record, m))))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether each field of the parent record in member <paramref name="m"/> that makes a column has one.</summary>
    private bool CoversParent(T record, int m)
    {
        if (record.ParentForCsv(m, create: false) is not { } parent)
        {
            return true;
        }

        var parentMembers = parent.Members;
        for (var p = 0; p < parentMembers.Count; p++)
        {
            if (Selected(parent, p, CsvFieldSelection.Set) && parent.GetMetadata().FindField(parentMembers[p]) is not null && !_parentFields.Contains((m, p)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The columns a record's selected fields need: <c>Id</c> when asked, each selected field the filter accepts, and for a
    /// selected parent record each of its selected fields as <c>Relationship.Field</c> (linking by external id).
    /// </summary>
    public static List<string> ColumnsOf(T record, CsvFieldSelection selection, bool includeId, Func<string, bool> include)
    {
        var columns = new List<string>();
        if (includeId)
        {
            columns.Add("Id");
        }

        var members = record.Members;
        for (var m = 0; m < members.Count; m++)
        {
            if (!Selected(record, m, selection) || !include(members[m]))
            {
                continue;
            }

            if (T.Metadata.FindField(members[m]) is not null)
            {
                columns.Add(members[m]);
            }
            else if (record.ParentForCsv(m, create: false) is { } parent)
            {
                var parentMembers = parent.Members;
                for (var p = 0; p < parentMembers.Count; p++)
                {
                    if (Selected(parent, p, CsvFieldSelection.Set) && parent.GetMetadata().FindField(parentMembers[p]) is not null)
                    {
                        columns.Add(members[m] + "." + parentMembers[p]);
                    }
                }
            }
        }

        return columns;
    }

    private static JsonElement StringElement(ReadOnlySpan<char> value)
    {
        var buffer = new ArrayBufferWriter<byte>(value.Length + 8);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStringValue(value);
        }

        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        return doc.RootElement.Clone();
    }

    private static string? ExtraText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => SObjectCsv.Null,
        _ => value.GetRawText(),
    };
}
