using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Sdk.Emulator.Auth;

/// <summary>Access and refresh tokens of a local org: random, opaque, kept in memory only, with a configurable lifetime.</summary>
internal sealed class TokenService(string organizationId, TimeProvider time, TimeSpan lifetime)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _access = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _refresh = new(StringComparer.Ordinal);

    public TimeSpan Lifetime { get; set; } = lifetime;

    /// <summary>A new access token, valid for <see cref="Lifetime"/>.</summary>
    public string IssueAccessToken()
    {
        var token = organizationId + "!" + Random(36);
        _access[token] = time.GetUtcNow() + Lifetime;
        return token;
    }

    public string IssueRefreshToken()
    {
        var token = "5Aep" + Random(60);
        _refresh[token] = 0;
        return token;
    }

    public bool IsValid(string? token)
    {
        if (token is null || !_access.TryGetValue(token, out var expires))
        {
            return false;
        }

        if (expires > time.GetUtcNow())
        {
            return true;
        }

        _access.TryRemove(token, out _);
        return false;
    }

    public bool IsRefreshTokenValid(string? token) => token is not null && _refresh.ContainsKey(token);

    /// <summary>Ends every session now (as an administrator revoking sessions would).</summary>
    public void ExpireAll() => _access.Clear();

    public void Revoke(string token)
    {
        _access.TryRemove(token, out _);
        _refresh.TryRemove(token, out _);
    }

    private static string Random(int length)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._";
        return RandomNumberGenerator.GetString(Alphabet, length);
    }
}
