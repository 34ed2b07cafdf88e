using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Sdk.Runtime.Bulk.Csv;
using Sdk.Runtime.Http.Internal;
using Sdk.Runtime.Internal;

namespace Sdk.Runtime.Bulk.Internal;

/// <summary>The Bulk API 1.0 resources (<c>/services/async/{version}/job…</c>): one method per call, XML or JSON infos, nothing more.</summary>
internal sealed class BulkV1Api(SalesforceConnection connection)
{
    private static readonly XNamespace Ns = "http://www.force.com/2009/06/asyncapi/dataload";

    public async Task<BulkV1JobInfo> CreateJobAsync(BulkV1JobRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Operation);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Object);
        var contentType = request.ContentType switch
        {
            BulkV1ContentType.Json => "JSON",
            BulkV1ContentType.Xml => "XML",
            _ => "CSV",
        };
        var fields = new List<(string, string)> { ("operation", request.Operation), ("object", request.Object) };
        if (request.ExternalIdFieldName is { } external)
        {
            fields.Add(("externalIdFieldName", external));
        }

        fields.Add(("concurrencyMode", request.ConcurrencyMode == BulkConcurrencyMode.Serial ? "Serial" : "Parallel"));
        fields.Add(("contentType", contentType));
        using var message = new HttpRequestMessage(HttpMethod.Post, await UriAsync("job", cancellationToken).ConfigureAwait(false))
        {
            Content = Info(request.ContentType == BulkV1ContentType.Json, fields),
        };
        if (request.PkChunking is { } chunking)
        {
            message.Headers.TryAddWithoutValidation("Sforce-Enable-PKChunking", chunking.HeaderValue);
        }

        return await SendForInfoAsync(message, request.ContentType == BulkV1ContentType.Json, BulkV1JobInfo.Parse, cancellationToken).ConfigureAwait(false);
    }

    public async Task<BulkV1JobInfo> GetJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, await UriAsync(Job(jobId), cancellationToken).ConfigureAwait(false));
        return await SendForInfoAsync(message, json: false, BulkV1JobInfo.Parse, cancellationToken).ConfigureAwait(false);
    }

    public async Task<BulkV1BatchInfo> AddBatchAsync(string jobId, BulkV1ContentType contentType, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var body = new ReadOnlyMemoryContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue(contentType switch
        {
            BulkV1ContentType.Json => "application/json",
            BulkV1ContentType.Xml => "application/xml",
            _ => "text/csv",
        }) { CharSet = "UTF-8" };
        using var message = new HttpRequestMessage(HttpMethod.Post, await UriAsync(Job(jobId) + "/batch", cancellationToken).ConfigureAwait(false)) { Content = body };
        return await SendForInfoAsync(message, contentType == BulkV1ContentType.Json, BulkV1BatchInfo.Parse, cancellationToken).ConfigureAwait(false);
    }

    public async Task<BulkV1BatchInfo> GetBatchAsync(string jobId, string batchId, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, await UriAsync(Batch(jobId, batchId), cancellationToken).ConfigureAwait(false));
        return await SendForInfoAsync(message, json: false, BulkV1BatchInfo.Parse, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<BulkV1BatchInfo>> GetBatchesAsync(string jobId, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, await UriAsync(Job(jobId) + "/batch", cancellationToken).ConfigureAwait(false));
        return await ReadAsync<IReadOnlyList<BulkV1BatchInfo>>(message, "expected a batch info list", (response, text) =>
        {
            if (IsJson(response, text))
            {
                using var doc = JsonDocument.Parse(text);
                return [.. doc.RootElement.GetProperty("batchInfo").EnumerateArray().Select(e => BulkV1BatchInfo.Parse(BulkV1Info.FromJson(e)))];
            }

            return [.. XDocument.Parse(text).Root!.Elements().Select(e => BulkV1BatchInfo.Parse(BulkV1Info.FromXml(e)))];
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<BulkV1RowResult>> GetBatchResultsAsync(string jobId, string batchId, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, await UriAsync(BatchResult(jobId, batchId), cancellationToken).ConfigureAwait(false));
        return await ReadParsedAsync(message, "expected batch results", (response, text) => ParseResultsAsync(response, text, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> GetQueryResultIdsAsync(string jobId, string batchId, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, await UriAsync(BatchResult(jobId, batchId), cancellationToken).ConfigureAwait(false));
        return await ReadAsync<IReadOnlyList<string>>(message, "expected a list of result ids", (response, text) =>
        {
            if (IsJson(response, text))
            {
                using var doc = JsonDocument.Parse(text);
                return [.. doc.RootElement.EnumerateArray().Select(e => e.GetString() ?? throw new JsonException("null result id"))];
            }

            return [.. XDocument.Parse(text).Root!.Elements().Select(e => e.Value)];
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ResponseStream> OpenQueryResultAsync(string jobId, string batchId, string resultId, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get,
            await UriAsync(BatchResult(jobId, batchId) + "/" + Uri.EscapeDataString(resultId), cancellationToken).ConfigureAwait(false));
        var response = await connection.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false)) { RequestPath = RequestKeys.PathOf(message) };
    }

    private static string Job(string jobId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        return "job/" + Uri.EscapeDataString(jobId);
    }

    private static string Batch(string jobId, string batchId) => Job(jobId) + "/batch/" + Uri.EscapeDataString(batchId);

    private static string BatchResult(string jobId, string batchId) => Batch(jobId, batchId) + "/result";

    /// <summary>The content a batch was added with, as the org keeps it (<c>GET …/batch/{id}/request</c>).</summary>
    public async Task<(byte[] Content, string Path)> GetBatchRequestAsync(string jobId, string batchId, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get,
            await UriAsync(Batch(jobId, batchId) + "/request", cancellationToken).ConfigureAwait(false));
        using var response = await connection.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return (await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), RequestKeys.PathOf(message));
    }

    public async Task<BulkV1JobInfo> SetStateAsync(string jobId, string state, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, await UriAsync(Job(jobId), cancellationToken).ConfigureAwait(false))
        {
            Content = Info(json: false, [("state", state)]),
        };
        return await SendForInfoAsync(message, json: false, BulkV1JobInfo.Parse, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<Uri> UriAsync(string relative, CancellationToken cancellationToken)
    {
        var instance = await connection.GetInstanceUrlAsync(cancellationToken).ConfigureAwait(false);
        var version = await connection.GetApiVersionAsync(cancellationToken).ConfigureAwait(false);
        return new Uri(instance, "services/async/" + version + "/" + relative);
    }

    private static ByteArrayContent Info(bool json, IEnumerable<(string Name, string Value)> fields)
    {
        ByteArrayContent content;
        if (json)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                foreach (var (name, value) in fields)
                {
                    writer.WriteString(name, value);
                }

                writer.WriteEndObject();
            }

            content = new ByteArrayContent(buffer.ToArray());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "UTF-8" };
            return content;
        }

        var xml = new XDocument(new XDeclaration("1.0", "UTF-8", null), new XElement(Ns + "jobInfo", fields.Select(f => new XElement(Ns + f.Name, f.Value))));
        content = new ByteArrayContent(Encoding.UTF8.GetBytes(xml.Declaration + xml.ToString(SaveOptions.DisableFormatting)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/xml") { CharSet = "UTF-8" };
        return content;
    }

    private async Task<T> SendForInfoAsync<T>(HttpRequestMessage message, bool json, Func<BulkV1Info, T> parse, CancellationToken cancellationToken)
    {
        message.Headers.Accept.Clear();
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(json ? "application/json" : "application/xml"));
        return await ReadAsync(message, "expected a job or batch info (XML or JSON)", (response, text) =>
        {
            if (IsJson(response, text))
            {
                using var doc = JsonDocument.Parse(text);
                return parse(BulkV1Info.FromJson(doc.RootElement.Clone()));
            }

            return parse(BulkV1Info.FromXml(XDocument.Parse(text).Root ?? throw new FormatException("empty XML")));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends the request, reads the answer as text and parses it; an answer that does not parse is a
    /// <see cref="Errors.MalformedResponseException"/> naming the request and what was <paramref name="expected"/>.
    /// </summary>
    private Task<T> ReadAsync<T>(HttpRequestMessage message, string expected, Func<HttpResponseMessage, string, T> parse, CancellationToken cancellationToken)
        => ReadParsedAsync(message, expected, (response, text) => Task.FromResult(parse(response, text)), cancellationToken);

    /// <summary>As <see cref="ReadAsync{T}"/>, with a parser that reads on asynchronously (CSV results).</summary>
    private async Task<T> ReadParsedAsync<T>(HttpRequestMessage message, string expected, Func<HttpResponseMessage, string, Task<T>> parse, CancellationToken cancellationToken)
    {
        using var response = await connection.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await parse(response, text).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonException or System.Xml.XmlException or FormatException or KeyNotFoundException or InvalidOperationException or NullReferenceException)
        {
            throw SalesforceConnection.Malformed(message, response, expected, ex);
        }
    }

    /// <summary>
    /// Whether an answer is JSON: by its first character where that tells (<c>{</c> or <c>[</c> for JSON, <c>&lt;</c> for
    /// XML), else by its content type. The body decides first because captured answers to XML job requests have come
    /// labelled <c>application/json</c>.
    /// </summary>
    private static bool IsJson(HttpResponseMessage response, string text)
        => text.AsSpan().TrimStart() switch
        {
            ['{' or '[', ..] => true,
            ['<', ..] => false,
            _ => response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true,
        };

    private static async Task<IReadOnlyList<BulkV1RowResult>> ParseResultsAsync(HttpResponseMessage response, string text, CancellationToken cancellationToken)
    {
        if (IsJson(response, text))
        {
            using var doc = JsonDocument.Parse(text);
            return [.. doc.RootElement.EnumerateArray().Select(e => new BulkV1RowResult(
                e.TryGetProperty("id", out var id) ? id.GetString() : null,
                e.TryGetProperty("success", out var s) && s.ValueKind == JsonValueKind.True,
                e.TryGetProperty("created", out var c) && c.ValueKind == JsonValueKind.True,
                e.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0
                    ? string.Join(" ", errors.EnumerateArray().Select(x => $"{Str(x, "statusCode")}:{Str(x, "message")}:{string.Join(',', x.TryGetProperty("fields", out var f) ? f.EnumerateArray().Select(v => v.GetString()) : [])} --"))
                    : null))];
        }

        if (text.AsSpan().TrimStart().StartsWith("<")) // XML, whatever the label says (see IsJson); else CSV
        {
            var root = XDocument.Parse(text).Root!;
            var ns = root.Name.Namespace;
            return [.. root.Elements(ns + "result").Select(r => new BulkV1RowResult(
                r.Element(ns + "id")?.Value, r.Element(ns + "success")?.Value == "true", r.Element(ns + "created")?.Value == "true",
                r.Elements(ns + "errors").Select(e => $"{e.Element(ns + "statusCode")?.Value}:{e.Element(ns + "message")?.Value}:{string.Join(',', e.Elements(ns + "fields").Select(f => f.Value))} --").FirstOrDefault()))];
        }

        var list = new List<BulkV1RowResult>();
        using var reader = new CsvReader(new StringReader(text));
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return list;
        }

        var header = reader.GetRow();
        int Col(string name) => Array.FindIndex(header, h => h.Equals(name, StringComparison.OrdinalIgnoreCase));
        var (idCol, successCol, createdCol, errorCol) = (Col("Id"), Col("Success"), Col("Created"), Col("Error"));
        if (successCol < 0)
        {
            throw new CsvFormatException($"The batch result has no Success column (header: {string.Join(",", header)}).");
        }

        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            string? Get(int i) => i >= 0 && i < reader.FieldCount ? reader.GetString(i) : null;
            list.Add(new BulkV1RowResult(Get(idCol), Get(successCol) == "true", Get(createdCol) == "true", Get(errorCol) is { Length: > 0 } e ? e : null));
        }

        return list;
    }

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;
}
