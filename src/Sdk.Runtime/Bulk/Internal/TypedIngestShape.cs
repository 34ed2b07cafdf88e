using Sdk.Runtime.Bulk.Csv;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Bulk.Internal;

/// <summary>Typed records: the changed fields the operation may send.</summary>
internal sealed class TypedIngestShape<T>(BulkOperation operation, string? externalIdField) : IngestShape<T>
    where T : SObject, ISObjectType<T>
{
    private readonly bool _byId = operation is BulkOperation.Update or BulkOperation.Delete or BulkOperation.HardDelete
        || (operation == BulkOperation.Upsert && string.Equals(externalIdField, "Id", StringComparison.OrdinalIgnoreCase));

    public override IngestLayout<T> Layout(T first) => new Typed(this, ColumnsOf(first));

    public override IngestLayout<T>? Widen(IngestLayout<T> current, T item)
    {
        var columns = current.Columns.ToList();
        var known = new HashSet<string>(columns, StringComparer.OrdinalIgnoreCase);
        var added = ColumnsOf(item).Where(known.Add).ToList();

        // A parent is named by one column per file: a header that names it otherwise (its id field, or another external id
        // field) is not widened, and the record starts a job of its own.
        var parents = new HashSet<string>(columns.Select(ParentOf).OfType<string>(), StringComparer.OrdinalIgnoreCase);
        if (added.Select(ParentOf).OfType<string>().Any(parents.Contains))
        {
            return null;
        }

        columns.AddRange(added);
        return new Typed(this, columns);
    }

    /// <summary>The parent relationship a column sets (<c>Account</c> for <c>AccountId</c> or <c>Account.External_Id__c</c>), or null.</summary>
    private static string? ParentOf(string column)
    {
        var dot = column.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? column[..dot]
            : T.Metadata.ParentRelationships.FirstOrDefault(p => p.Field.Equals(column, StringComparison.OrdinalIgnoreCase))?.RelationshipName;
    }

    private List<string> ColumnsOf(T item)
    {
        List<string> columns = operation is BulkOperation.Delete or BulkOperation.HardDelete
            ? ["Id"]
            : CsvRecordMap<T>.ColumnsOf(item, CsvFieldSelection.Changed, _byId, Include);
        if (externalIdField is not null && !columns.Contains(externalIdField, StringComparer.OrdinalIgnoreCase))
        {
            columns.Add(externalIdField);
        }

        return columns;
    }

    public override void Succeeded(T item, SalesforceId? id)
    {
        if (id is { } newId && operation is BulkOperation.Insert or BulkOperation.Upsert)
        {
            item.Id = newId;
        }

        item.AcceptChanges();
    }

    private bool Include(string member)
    {
        if (operation is BulkOperation.Delete or BulkOperation.HardDelete)
        {
            return false;
        }

        if (string.Equals(member, externalIdField, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var field = T.Metadata.FindField(member);
        if (field is null && T.Metadata.ParentRelationships.FirstOrDefault(p => p.RelationshipName == member) is { } parent)
        {
            field = T.Metadata.FindField(parent.Field);
        }

        return field is not null && operation switch
        {
            BulkOperation.Insert => field.Createable,
            BulkOperation.Update => field.Updateable,
            _ => field.Createable || field.Updateable,
        };
    }

    private sealed class Typed(TypedIngestShape<T> shape, List<string> columns) : IngestLayout<T>
    {
        private readonly CsvRecordMap<T> _map = new(columns);
        private readonly int _external = shape.External();

        public override IReadOnlyList<string> Columns => _map.Header;

        public override bool Covers(T item) => shape.IdOnly || _map.Covers(item, CsvFieldSelection.Changed, shape.Include);

        public override void Write(CsvWriter writer, T item) => _map.Write(writer, item, CsvFieldSelection.Changed, _external);
    }

    private bool IdOnly => operation is BulkOperation.Delete or BulkOperation.HardDelete;

    private int External() => externalIdField is null ? int.MinValue : T.Create().MemberIndex(externalIdField) is var i && i >= 0 ? i : int.MinValue;
}
