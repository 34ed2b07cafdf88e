using System.Globalization;

namespace Sdk.Runtime.Events;

/// <summary>
/// API usage as reported by the <c>Sforce-Limit-Info</c> response header, for example
/// <c>api-usage=25/5000;per-app-api-usage=17/250(appName=x)</c>. Parts the header does not carry are null.
/// </summary>
/// <param name="Consumed">Org-wide calls in the last 24 hours.</param>
/// <param name="Limit">The org's 24-hour limit.</param>
/// <param name="AppConsumed">Calls made by this connected app, when the org limits it.</param>
/// <param name="AppLimit">The connected app's limit.</param>
/// <param name="AppName">The connected app's name.</param>
public sealed record ApiUsage(long? Consumed, long? Limit, long? AppConsumed, long? AppLimit, string? AppName)
{
    /// <summary>Parses the header value. Returns null when it holds neither part.</summary>
    public static ApiUsage? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        long? consumed = null, limit = null, appConsumed = null, appLimit = null;
        string? appName = null;
        foreach (var rawPart in header.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = rawPart.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var key = rawPart[..eq].Trim();
            var value = rawPart[(eq + 1)..].Trim();
            string? name = null;
            var paren = value.IndexOf('(', StringComparison.Ordinal);
            if (paren >= 0)
            {
                var inner = value[(paren + 1)..].TrimEnd(')');
                const string prefix = "appName=";
                name = inner.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? inner[prefix.Length..] : inner;
                value = value[..paren];
            }

            if (!TryParsePair(value, out var used, out var max))
            {
                continue;
            }

            if (key.Equals("api-usage", StringComparison.OrdinalIgnoreCase))
            {
                (consumed, limit) = (used, max);
            }
            else if (key.Equals("per-app-api-usage", StringComparison.OrdinalIgnoreCase))
            {
                (appConsumed, appLimit, appName) = (used, max, name);
            }
        }

        return consumed is null && appConsumed is null ? null : new ApiUsage(consumed, limit, appConsumed, appLimit, appName);
    }

    private static bool TryParsePair(string value, out long used, out long max)
    {
        used = max = 0;
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        return slash > 0
            && long.TryParse(value.AsSpan(0, slash), NumberStyles.Integer, CultureInfo.InvariantCulture, out used)
            && long.TryParse(value.AsSpan(slash + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out max);
    }
}
