using Sdk.Runtime.Bulk.Csv;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Bulk.Internal;

/// <summary>The columns of one job and how an item becomes a row under them.</summary>
internal abstract class IngestLayout<TItem>
{
    public abstract IReadOnlyList<string> Columns { get; }

    /// <summary>Whether this header holds everything the item carries (else the item starts a job with its own header).</summary>
    public abstract bool Covers(TItem item);

    public abstract void Write(CsvWriter writer, TItem item);
}

/// <summary>How items of a kind become CSV and take their results.</summary>
internal abstract class IngestShape<TItem>
{
    public abstract IngestLayout<TItem> Layout(TItem first);

    /// <summary>
    /// A layout whose columns are <paramref name="current"/>'s, in their order, then those <paramref name="item"/> needs
    /// besides; null when the two cannot share a header (the item then starts a job or batch of its own).
    /// </summary>
    public virtual IngestLayout<TItem>? Widen(IngestLayout<TItem> current, TItem item) => null;

    public virtual void Succeeded(TItem item, SalesforceId? id)
    {
    }
}

/// <summary>The rows of a job or batch written again under a header widened at its end.</summary>
internal static class WidenedRows
{
    /// <summary>
    /// Formats again each row of <paramref name="csv"/> (after its header) into <paramref name="row"/> from the row as it was
    /// formatted (not from the record, which the caller may have changed since), with <paramref name="added"/> empty fields at
    /// its end, and calls <paramref name="place"/> with the row's position after each.
    /// </summary>
    public static async Task RewriteAsync(MemoryStream csv, CsvDelimiter delimiter, CsvWriter row, int added, Func<int, Task> place, CancellationToken cancellationToken)
    {
        using var rows = new CsvReader(csv, delimiter);
        await rows.ReadAsync(cancellationToken).ConfigureAwait(false); // the header
        for (var i = 0; await rows.ReadAsync(cancellationToken).ConfigureAwait(false); i++)
        {
            row.CopyRow(rows, added);
            await place(i).ConfigureAwait(false);
        }
    }
}
