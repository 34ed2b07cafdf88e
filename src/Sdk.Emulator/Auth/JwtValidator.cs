using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Sdk.Emulator.Auth;

/// <summary>Checks a JWT bearer assertion as Salesforce does: RS256 signature, issuer (client id), subject (user), audience, expiry.</summary>
internal static class JwtValidator
{
    /// <summary>Null when the assertion is valid; otherwise the <c>error_description</c> Salesforce would give.</summary>
    public static string? Validate(string assertion, RSA? publicKey, string clientId, string username, IReadOnlyCollection<string> audiences, DateTimeOffset now)
    {
        var parts = assertion.Split('.');
        if (parts.Length != 3)
        {
            return "invalid assertion";
        }

        byte[] header, payload, signature;
        try
        {
            header = Base64Url.DecodeFromChars(parts[0]);
            payload = Base64Url.DecodeFromChars(parts[1]);
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (FormatException)
        {
            return "invalid assertion";
        }

        try
        {
            using var headerDoc = JsonDocument.Parse(header);
            if (!headerDoc.RootElement.TryGetProperty("alg", out var alg) || alg.GetString() != "RS256")
            {
                return "invalid assertion: the algorithm must be RS256";
            }

            if (publicKey is null || !publicKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                return "invalid assertion: the signature does not verify with the connected app's certificate";
            }

            using var doc = JsonDocument.Parse(payload);
            var claims = doc.RootElement;
            if (Claim(claims, "iss") != clientId)
            {
                return "invalid client credentials";
            }

            if (!string.Equals(Claim(claims, "sub"), username, StringComparison.OrdinalIgnoreCase))
            {
                return "user hasn't approved this consumer";
            }

            if (Claim(claims, "aud") is not { } aud || !audiences.Contains(aud.TrimEnd('/'), StringComparer.OrdinalIgnoreCase))
            {
                return "audience is invalid";
            }

            if (!claims.TryGetProperty("exp", out var exp) || !exp.TryGetInt64(out var seconds) || DateTimeOffset.FromUnixTimeSeconds(seconds) < now - TimeSpan.FromMinutes(3))
            {
                return "expired authorization code";
            }

            return null;
        }
        catch (JsonException)
        {
            return "invalid assertion";
        }
    }

    private static string? Claim(JsonElement claims, string name) => claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
