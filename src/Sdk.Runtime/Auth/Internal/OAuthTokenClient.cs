using System.Net;
using System.Text.Json;
using Sdk.Runtime.Errors;

namespace Sdk.Runtime.Auth.Internal;

/// <summary>An OAuth 2.0 token endpoint answer.</summary>
internal sealed record OAuthTokenResponse(string AccessToken, Uri? InstanceUrl, string? RefreshToken);

/// <summary>Posts to <c>/services/oauth2/token</c> and reads the answer or the error.</summary>
internal static class OAuthTokenClient
{
    public static async Task<OAuthTokenResponse> PostAsync(HttpClient http, Uri loginUrl, IReadOnlyList<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(loginUrl, "services/oauth2/token"))
        {
            Content = new FormUrlEncodedContent(form),
        };
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var grant = form.FirstOrDefault(f => f.Key == "grant_type").Value;

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new SalesforceAuthenticationException(
                $"The token endpoint at {loginUrl.Host} answered {(int)response.StatusCode} {response.StatusCode} with a body that is not JSON (grant '{grant}').",
                response.IsSuccessStatusCode ? "INVALID_RESPONSE" : "LOGIN_FAILED", ex) { StatusCode = response.StatusCode };
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (!response.IsSuccessStatusCode || root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("access_token", out var tokenElement))
            {
                string? error = null, description = null;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    error = root.TryGetProperty("error", out var e) ? e.GetString() : null;
                    description = root.TryGetProperty("error_description", out var d) ? d.GetString() : null;
                }

                throw new SalesforceAuthenticationException(
                    $"Login with grant '{grant}' at {loginUrl.Host} failed ({(int)response.StatusCode}): {error ?? "unknown_error"}{(description is null ? string.Empty : ": " + description)}.",
                    error ?? "LOGIN_FAILED") { StatusCode = response.StatusCode == 0 ? HttpStatusCode.BadRequest : response.StatusCode };
            }

            var accessToken = tokenElement.GetString();
            if (string.IsNullOrEmpty(accessToken))
            {
                throw new SalesforceAuthenticationException($"The token endpoint at {loginUrl.Host} returned an empty access_token.", "INVALID_RESPONSE");
            }

            Uri? instance = null;
            if (root.TryGetProperty("instance_url", out var i) && Uri.TryCreate(i.GetString(), UriKind.Absolute, out var parsed))
            {
                instance = parsed;
            }

            var refresh = root.TryGetProperty("refresh_token", out var r) ? r.GetString() : null;
            return new OAuthTokenResponse(accessToken, instance, refresh);
        }
    }
}
