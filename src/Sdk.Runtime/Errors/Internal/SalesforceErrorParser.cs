using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sdk.Runtime.Errors.Internal;

/// <summary>Turns an error answer into the right <see cref="SalesforceException"/>.</summary>
internal static partial class SalesforceErrorParser
{
    /// <summary>Error bodies larger than this are cut when read.</summary>
    public const int MaxErrorBodyBytes = 1 << 20;

    public static async Task<SalesforceException> CreateAsync(HttpResponseMessage response, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        byte[] body;
        try
        {
            body = await ReadCappedAsync(response.Content, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            body = [];
        }

        return Create(response.StatusCode, body, response.Content.Headers.ContentType, response.Headers, method.Method, path);
    }

    public static async Task<byte[]> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[Math.Min(MaxErrorBodyBytes, (int)Math.Min(content.Headers.ContentLength ?? 4096, MaxErrorBodyBytes)) + 1];
            var total = 0;
            while (total < MaxErrorBodyBytes)
            {
                if (total == buffer.Length)
                {
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxErrorBodyBytes));
                }

                var read = await stream.ReadAsync(buffer.AsMemory(total, buffer.Length - total), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            return buffer.AsSpan(0, total).ToArray();
        }
    }

    public static SalesforceException Create(HttpStatusCode status, ReadOnlySpan<byte> body, MediaTypeHeaderValue? contentType,
        HttpResponseHeaders? headers, string method, string path)
    {
        var where = $"{method} {path}";
        var statusText = $"{(int)status} {status}";
        if (status == HttpStatusCode.MultipleChoices && TryParseUrls(body, out var urls))
        {
            return new MultipleRecordsFoundException($"More than one record matched ({urls.Count} records) [{where} → {statusText}].")
            {
                StatusCode = status, ErrorCode = "MULTIPLE_CHOICES", RecordUrls = urls, RequestMethod = method, RequestPath = path,
            };
        }

        var errors = ParseErrors(body);
        string message;
        if (errors.Count > 0)
        {
            message = string.Join("; ", errors.Select(e => e.ToString())) + $" [{where} → {statusText}]";
        }
        else if (body.Length == 0)
        {
            message = $"Salesforce answered {statusText} with an empty body [{where}].";
        }
        else
        {
            message = $"Salesforce answered {statusText} with a {contentType?.MediaType ?? "untyped"} body that is not a Salesforce error: \"{Snippet(body)}\" [{where}].";
        }

        var code = errors.Count > 0 ? errors[0].ErrorCode : null;
        var fields = errors.SelectMany(e => e.Fields).Distinct(StringComparer.Ordinal).ToArray();
        TimeSpan? retryAfter = ReadRetryAfter(headers);

        return (status, code) switch
        {
            (_, "INVALID_SESSION_ID") or (_, "InvalidSessionId") or (HttpStatusCode.Unauthorized, _) => new SessionExpiredException(message)
            { StatusCode = status, ErrorCode = code ?? "INVALID_SESSION_ID", Fields = fields, Errors = errors, RequestMethod = method, RequestPath = path },
            (_, "REQUEST_LIMIT_EXCEEDED") or (HttpStatusCode.TooManyRequests, _) => new RequestLimitExceededException(message)
            { StatusCode = status, ErrorCode = code ?? "REQUEST_LIMIT_EXCEEDED", Fields = fields, Errors = errors, RequestMethod = method, RequestPath = path, RetryAfter = retryAfter },
            (_, "UNABLE_TO_LOCK_ROW") => new RecordLockedException(message)
            { StatusCode = status, ErrorCode = code, Fields = fields, Errors = errors, RequestMethod = method, RequestPath = path },
            (_, "DUPLICATES_DETECTED") => new DuplicatesDetectedException(message)
            { StatusCode = status, ErrorCode = code, Fields = fields, Errors = errors, RequestMethod = method, RequestPath = path, DuplicateIds = errors.SelectMany(e => e.DuplicateIds).ToArray() },
            (HttpStatusCode.NotFound, _) or (_, "NOT_FOUND") or (_, "ENTITY_IS_DELETED") => new RecordNotFoundException(message)
            { StatusCode = status, ErrorCode = code ?? "NOT_FOUND", Fields = fields, Errors = errors, RequestMethod = method, RequestPath = path },
            (HttpStatusCode.Forbidden, _) => new InsufficientAccessException(message)
            { StatusCode = status, ErrorCode = code, Fields = fields, Errors = errors, RequestMethod = method, RequestPath = path },
            (_, { } c) when c.StartsWith("INSUFFICIENT_ACCESS", StringComparison.Ordinal) => new InsufficientAccessException(message)
            { StatusCode = status, ErrorCode = code, Fields = fields, Errors = errors, RequestMethod = method, RequestPath = path },
            ( >= HttpStatusCode.InternalServerError, _) => new SalesforceServerException(message)
            { StatusCode = status, ErrorCode = code, Fields = fields, Errors = errors, RequestMethod = method, RequestPath = path },
            _ => new SalesforceException(message)
            { StatusCode = status, ErrorCode = code, Fields = fields, Errors = errors, RequestMethod = method, RequestPath = path },
        };
    }

    /// <summary>Reads the error entries of a body: an array of errors, a single error object, or an OAuth error. Empty when none.</summary>
    public static IReadOnlyList<SalesforceError> ParseErrors(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return [];
        }

        var parsed = TryParse(body);
        if (parsed.Count == 0 && body.IndexOf("<exceptionCode>"u8) >= 0)
        {
            // Bulk API 1.0: <error><exceptionCode>InvalidJob</exceptionCode><exceptionMessage>…</exceptionMessage></error>
            try
            {
                var error = System.Xml.Linq.XDocument.Parse(Encoding.UTF8.GetString(body)).Root;
                var ns = error?.Name.Namespace ?? System.Xml.Linq.XNamespace.None;
                if (error?.Element(ns + "exceptionCode")?.Value is { } code)
                {
                    parsed.Add(new SalesforceError(code, error.Element(ns + "exceptionMessage")?.Value ?? code, []));
                }
            }
            catch (System.Xml.XmlException)
            {
            }
        }

        if (parsed.Count == 0 && body.IndexOf("&quot;"u8) >= 0)
        {
            // Some endpoints HTML-escape the whole JSON body.
            var decoded = WebUtility.HtmlDecode(Encoding.UTF8.GetString(body));
            parsed = TryParse(Encoding.UTF8.GetBytes(decoded));
        }

        return parsed;
    }

    /// <summary>The error codes of a body, for retry rules. Never throws.</summary>
    public static IReadOnlyList<string> ParseErrorCodes(ReadOnlySpan<byte> body) => ParseErrors(body).Select(e => e.ErrorCode).ToArray();

    private static List<SalesforceError> TryParse(ReadOnlySpan<byte> body)
    {
        var list = new List<SalesforceError>();
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in root.EnumerateArray())
                {
                    if (ReadOne(item) is { } e)
                    {
                        list.Add(e);
                    }
                }
            }
            else if (ReadOne(root) is { } single)
            {
                list.Add(single);
            }
        }
        catch (JsonException)
        {
        }

        return list;
    }

    private static SalesforceError? ReadOne(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var code = GetString(item, "errorCode") ?? GetString(item, "statusCode") ?? GetString(item, "error") ?? GetString(item, "exceptionCode");
        var message = GetString(item, "message") ?? GetString(item, "error_description") ?? GetString(item, "msg") ?? GetString(item, "exceptionMessage");
        if (code is null && message is null)
        {
            return null;
        }

        var fields = new List<string>();
        if (item.TryGetProperty("fields", out var f) && f.ValueKind == JsonValueKind.Array)
        {
            foreach (var x in f.EnumerateArray())
            {
                if (x.ValueKind == JsonValueKind.String && x.GetString() is { Length: > 0 } s)
                {
                    fields.Add(s);
                }
            }
        }

        var duplicates = new List<string>();
        if (item.TryGetProperty("duplicateResult", out var dup) && dup.ValueKind == JsonValueKind.Object
            && dup.TryGetProperty("matchResults", out var matches) && matches.ValueKind == JsonValueKind.Array)
        {
            foreach (var match in matches.EnumerateArray())
            {
                if (match.ValueKind == JsonValueKind.Object && match.TryGetProperty("matchRecords", out var records) && records.ValueKind == JsonValueKind.Array)
                {
                    foreach (var r in records.EnumerateArray())
                    {
                        if (r.ValueKind == JsonValueKind.Object && r.TryGetProperty("record", out var rec) && rec.ValueKind == JsonValueKind.Object
                            && GetString(rec, "Id") is { } id)
                        {
                            duplicates.Add(id);
                        }
                    }
                }
            }
        }

        return new SalesforceError(code ?? "UNKNOWN_ERROR", Decode(message ?? string.Empty), fields) { DuplicateIds = duplicates };
    }

    private static string? GetString(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Decode(string message) => message.Contains('&', StringComparison.Ordinal) ? WebUtility.HtmlDecode(message) : message;

    private static bool TryParseUrls(ReadOnlySpan<byte> body, out IReadOnlyList<string> urls)
    {
        urls = [];
        try
        {
            var reader = new Utf8JsonReader(body);
            using var doc = JsonDocument.ParseValue(ref reader);
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            urls = doc.RootElement.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static TimeSpan? ReadRetryAfter(HttpResponseHeaders? headers)
    {
        if (headers?.RetryAfter is not { } retry)
        {
            return null;
        }

        if (retry.Delta is { } delta)
        {
            return delta;
        }

        return null;
    }

    /// <summary>A short, single-line, tag-free excerpt of a body for messages.</summary>
    public static string Snippet(ReadOnlySpan<byte> body, int max = 200)
    {
        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, 4096)]);
        var title = TitleRegex().Match(text);
        if (title.Success)
        {
            text = title.Groups[1].Value;
        }

        text = TagRegex().Replace(text, " ");
        text = WhitespaceRegex().Replace(text, " ").Trim();
        return text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");
    }

    [GeneratedRegex("<title>(.*?)</title>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex TitleRegex();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex TagRegex();

    [GeneratedRegex("\\s+")]
    private static partial Regex WhitespaceRegex();

}
