using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Sdk.Emulator.Tests.TestSupport;

/// <summary>Raw HTTP to a local org (the wire itself, not the SDK): JSON in, status and JSON out.</summary>
public sealed class OrgHttp : IDisposable
{
    public const string Version = "66.0";

    private readonly HttpClient _http;

    public OrgHttp(LocalOrg org, string? token = null)
    {
        Org = org;
        _http = new HttpClient { BaseAddress = org.InstanceUrl };
        Token = token ?? org.CreateAccessToken();
    }

    public LocalOrg Org { get; }

    public string Token { get; set; }

    public static string Data(string path) => $"/services/data/v{Version}/{path}";

    public async Task<Response> SendAsync(HttpMethod method, string path, string? json = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        configure?.Invoke(request);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Response(response.StatusCode, text, response.Headers.TryGetValues("Sforce-Limit-Info", out var limit) ? limit.Single() : null,
            response.Content.Headers.ContentType?.MediaType);
    }

    public Task<Response> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<Response> QueryAsync(string soql, bool all = false) => GetAsync(Data((all ? "queryAll" : "query") + "/?q=" + Uri.EscapeDataString(soql)));

    /// <summary>Runs a query that must succeed and returns its records.</summary>
    public async Task<JsonElement[]> RecordsAsync(string soql, bool all = false)
    {
        var response = await QueryAsync(soql, all);
        Assert.True(response.Status == HttpStatusCode.OK, $"{soql} → {(int)response.Status} {response.Body}");
        return [.. response.Json.GetProperty("records").EnumerateArray()];
    }

    /// <summary>Creates a record and returns its id.</summary>
    public async Task<string> CreateAsync(string type, object fields)
    {
        var response = await SendAsync(HttpMethod.Post, Data($"sobjects/{type}/"), JsonSerializer.Serialize(fields));
        Assert.True(response.Status == HttpStatusCode.Created, $"create {type} → {(int)response.Status} {response.Body}");
        return response.Json.GetProperty("id").GetString()!;
    }

    public void Dispose() => _http.Dispose();

    public sealed record Response(HttpStatusCode Status, string Body, string? LimitInfo, string? MediaType)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;

        /// <summary>The first error of a Salesforce error body.</summary>
        public (string Code, string Message) Error => (Json[0].GetProperty("errorCode").GetString()!, Json[0].GetProperty("message").GetString()!);
    }
}
