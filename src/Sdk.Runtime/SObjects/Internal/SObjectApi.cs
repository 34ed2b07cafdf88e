using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Sdk.Runtime.Errors;
using Sdk.Runtime.Http.Internal;
using Sdk.Runtime.Internal;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.SObjects.Internal;

/// <summary>The sObject REST endpoints, one method each, nothing beyond the wire.</summary>
internal sealed class SObjectApi(SalesforceConnection connection)
{
    public async Task<SaveResponse> CreateAsync(string sObject, byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, await connection.DataUriAsync($"sobjects/{sObject}/", cancellationToken).ConfigureAwait(false))
        {
            Content = connection.JsonContent(body),
        };
        using var response = await connection.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return await ReadSaveAsync(response, request, cancellationToken).ConfigureAwait(false);
    }

    public Task<T> GetAsync<T>(string sObject, string id, IReadOnlyList<string>? fields, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        => GetRecordAsync($"sobjects/{sObject}/{id}{FieldsQuery(fields)}", typeInfo, cancellationToken);

    public Task<T> GetByExternalIdAsync<T>(string sObject, string field, string value, IReadOnlyList<string>? fields, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        => GetRecordAsync($"sobjects/{sObject}/{field}/{Uri.EscapeDataString(value)}{FieldsQuery(fields)}", typeInfo, cancellationToken);

    private async Task<T> GetRecordAsync<T>(string path, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, connection.DataUri(path) ?? await connection.DataUriAsync(path, cancellationToken).ConfigureAwait(false));
        using var response = await connection.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await connection.ErrorAsync(request, response, cancellationToken).ConfigureAwait(false);
        }

        var record = await connection.ReadJsonAsync(response, request, typeInfo, cancellationToken).ConfigureAwait(false);
        return record ?? throw SalesforceConnection.Malformed(request, response, "the body was null", null);
    }

    public async Task UpdateAsync(string sObject, string id, byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, await connection.DataUriAsync($"sobjects/{sObject}/{id}", cancellationToken).ConfigureAwait(false))
        {
            Content = connection.JsonContent(body),
        };
        using var response = await connection.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
    }

    public async Task<(HttpStatusCode Status, SaveResponse? Body)> UpsertAsync(string sObject, string field, string value, byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, await connection.DataUriAsync($"sobjects/{sObject}/{field}/{Uri.EscapeDataString(value)}", cancellationToken).ConfigureAwait(false))
        {
            Content = connection.JsonContent(body),
        };
        RequestKeys.MarkIdempotent(request);
        using var response = await connection.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return (response.StatusCode, null);
        }

        return (response.StatusCode, await ReadSaveAsync(response, request, cancellationToken).ConfigureAwait(false));
    }

    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, await connection.DataUriAsync(path, cancellationToken).ConfigureAwait(false));
        using var response = await connection.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
    }

    public async Task<JsonElement> DescribeGlobalAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, await connection.DataUriAsync("sobjects/", cancellationToken).ConfigureAwait(false));
        using var response = await connection.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return await connection.ReadJsonAsync(response, request, RuntimeJsonContext.Default.JsonElement, cancellationToken).ConfigureAwait(false);
    }

    public async Task<(JsonObject? Describe, DateTimeOffset? LastModified)> DescribeAsync(string sObject, DateTimeOffset? ifModifiedSince, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, await connection.DataUriAsync($"sobjects/{sObject}/describe/", cancellationToken).ConfigureAwait(false));
        if (ifModifiedSince is { } since)
        {
            request.Headers.IfModifiedSince = since;
        }

        using var response = await connection.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken, HttpStatusCode.NotModified).ConfigureAwait(false);
        var lastModified = response.Content.Headers.LastModified;
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            return (null, lastModified);
        }

        var describe = await connection.ReadJsonAsync(response, request, RuntimeJsonContext.Default.JsonObject, cancellationToken).ConfigureAwait(false);
        return (describe ?? throw SalesforceConnection.Malformed(request, response, "the describe was null", null), lastModified);
    }

    public async Task<UpdatedResponse> GetUpdatedAsync(string sObject, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
        => await GetWindowAsync($"sobjects/{sObject}/updated/", start, end, RuntimeJsonContext.Default.UpdatedResponse, cancellationToken).ConfigureAwait(false);

    public async Task<DeletedResponse> GetDeletedAsync(string sObject, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
        => await GetWindowAsync($"sobjects/{sObject}/deleted/", start, end, RuntimeJsonContext.Default.DeletedResponse, cancellationToken).ConfigureAwait(false);

    private async Task<T> GetWindowAsync<T>(string path, DateTimeOffset start, DateTimeOffset end, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        var query = $"?start={Uri.EscapeDataString(WindowTime(start))}&end={Uri.EscapeDataString(WindowTime(end))}";
        using var request = new HttpRequestMessage(HttpMethod.Get, await connection.DataUriAsync(path + query, cancellationToken).ConfigureAwait(false));
        using var response = await connection.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return await connection.ReadJsonAsync(response, request, typeInfo, cancellationToken).ConfigureAwait(false)
            ?? throw SalesforceConnection.Malformed(request, response, "the body was null", null);
    }

    private static string WindowTime(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);

    private static string FieldsQuery(IReadOnlyList<string>? fields)
        => fields is null || fields.Count == 0 ? string.Empty : "?fields=" + Uri.EscapeDataString(string.Join(",", fields));

    private async Task<SaveResponse> ReadSaveAsync(HttpResponseMessage response, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var save = await connection.ReadJsonAsync(response, request, RuntimeJsonContext.Default.SaveResponse, cancellationToken).ConfigureAwait(false);
        if (save is null || string.IsNullOrEmpty(save.Id) && save.Success)
        {
            throw SalesforceConnection.Malformed(request, response, "the save result has no id", null);
        }

        if (save.Success && !SalesforceId.TryParse(save.Id, out _))
        {
            throw SalesforceConnection.Malformed(request, response, $"'{save.Id}' is not a Salesforce id", null);
        }

        if (!save.Success)
        {
            var errors = (save.Errors ?? []).Select(e => new SalesforceError(e.StatusCode ?? "UNKNOWN_ERROR", e.Message ?? string.Empty, e.Fields ?? [])).ToArray();
            var path = RequestKeys.PathOf(request);
            throw new SalesforceException(string.Join("; ", errors.Select(e => e.ToString())) + $" [{request.Method.Method} {path} → {(int)response.StatusCode}]")
            {
                StatusCode = response.StatusCode,
                ErrorCode = errors.FirstOrDefault()?.ErrorCode,
                Errors = errors,
                Fields = errors.SelectMany(e => e.Fields).Distinct().ToArray(),
                RequestMethod = request.Method.Method,
                RequestPath = path,
            };
        }

        return save;
    }

    public static SalesforceId ParseId(string? id, HttpRequestMessage? request = null)
        => SalesforceId.TryParse(id, out var parsed) ? parsed : throw new MalformedResponseException($"The server returned '{id}', which is not a Salesforce id{(request is null ? string.Empty : $" [{request.Method.Method} {RequestKeys.PathOf(request)}]")}.");
}
