using Sdk.Runtime.Bulk.Csv;
using Sdk.Runtime.Errors;
using Sdk.Runtime.Internal;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Bulk.Internal;

/// <summary>
/// Reads the CSV a bulk request answered with (ingest results, query pages): CSV that cannot be read, or a value that does
/// not fit its field, is a <see cref="MalformedResponseException"/> naming the request, with the CSV error (line, record,
/// column) as its inner exception.
/// </summary>
internal static class ResultCsv
{
    /// <summary>The error for the answer to <c>GET <paramref name="path"/></c>, which <paramref name="error"/> found unreadable.</summary>
    public static MalformedResponseException Unreadable(string path, CsvFormatException error)
        => SalesforceConnection.Malformed(HttpMethod.Get, path, null, error.Message.TrimEnd('.'), error);

    /// <summary>Reads the next row.</summary>
    public static async ValueTask<bool> ReadAsync(CsvReader reader, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CsvFormatException ex)
        {
            throw Unreadable(path, ex);
        }
    }

    /// <summary>Reads the header: false for an empty answer.</summary>
    public static async ValueTask<bool> HasHeaderAsync<T>(CsvRecordReader<T> reader, string path, CancellationToken cancellationToken)
        where T : SObject, ISObjectType<T>
    {
        try
        {
            return await reader.TryReadHeaderAsync(cancellationToken).ConfigureAwait(false) is not null;
        }
        catch (CsvFormatException ex)
        {
            throw Unreadable(path, ex);
        }
    }

    /// <summary>Reads the next record.</summary>
    public static async ValueTask<T?> ReadAsync<T>(CsvRecordReader<T> reader, string path, CancellationToken cancellationToken)
        where T : SObject, ISObjectType<T>
    {
        try
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CsvFormatException ex)
        {
            throw Unreadable(path, ex);
        }
    }

    /// <summary>The columns of the header row just read.</summary>
    public static CsvRecordMap<T> Map<T>(CsvReader reader, string path)
        where T : SObject, ISObjectType<T>
    {
        try
        {
            return new CsvRecordMap<T>(reader.GetRow());
        }
        catch (CsvFormatException ex)
        {
            throw Unreadable(path, ex);
        }
    }

    /// <summary>The record of the row just read.</summary>
    public static T Read<T>(CsvRecordMap<T> map, CsvReader reader, string path)
        where T : SObject, ISObjectType<T>
    {
        try
        {
            return map.Read(reader);
        }
        catch (CsvFormatException ex)
        {
            throw Unreadable(path, ex);
        }
    }
}
