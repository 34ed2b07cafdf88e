using Sdk.Runtime.Errors;

namespace Sdk.Runtime.Bulk.Internal;

/// <summary>The row errors of bulk result files.</summary>
internal static class BulkErrors
{
    /// <summary>Why a row holding the text <c>#N/A</c> was not sent: Bulk API reads that text as null.</summary>
    public static SalesforceError TextReadAsNull() => new(
        "TEXT_READ_AS_NULL",
        "Not sent: a text field of the record holds \"#N/A\", which Bulk API reads as null (it would be cleared, not stored). Set the field to null to clear it, or send the record with client.SObjects or client.Collections to store the text.",
        []);

    /// <summary>Parses <c>sf__Error</c>: <c>CODE:message:fields --</c>, possibly several.</summary>
    public static IReadOnlyList<SalesforceError> Parse(string text)
    {
        var errors = new List<SalesforceError>();
        foreach (var piece in text.Split(" --", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var part = piece.TrimEnd('-').TrimEnd();
            if (part.Length == 0)
            {
                continue;
            }

            var first = part.IndexOf(':', StringComparison.Ordinal);
            if (first < 0)
            {
                errors.Add(new SalesforceError(part, part, []));
                continue;
            }

            var code = part[..first];
            var rest = part[(first + 1)..];
            var last = rest.LastIndexOf(':');
            var message = last < 0 ? rest : rest[..last];
            var fields = last < 0 ? [] : rest[(last + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            errors.Add(new SalesforceError(code, message, fields));
        }

        return errors.Count > 0 ? errors : [new SalesforceError("UNKNOWN_ERROR", text, [])];
    }
}
