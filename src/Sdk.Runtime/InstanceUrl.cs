using System.Net;

namespace Sdk.Runtime;

/// <summary>
/// Validates and normalizes the URL of a Salesforce org (its instance URL or login URL).
/// </summary>
/// <remarks>
/// <para>Accepted: <c>https</c> URLs of Salesforce hosts, for example
/// <c>https://acme.my.salesforce.com</c> (production My Domain), <c>https://acme--uat.sandbox.my.salesforce.com</c> (sandbox),
/// <c>https://acme-dev-ed.develop.my.salesforce.com</c> (developer edition), <c>https://acme.scratch.my.salesforce.com</c>
/// (scratch org), <c>https://na139.salesforce.com</c> (legacy instance), <c>https://login.salesforce.com</c> and
/// <c>https://test.salesforce.com</c>; other https hosts (custom domains, government cloud) are accepted too.
/// Plain <c>http</c> is accepted only for the loopback hosts <c>127.0.0.1</c>, <c>[::1]</c> and <c>localhost</c> (the local org).</para>
/// <para>Any path, query or fragment is ignored: the result is the scheme, host and port.</para>
/// <para>Rejected, with an <see cref="ArgumentException"/> that lists these shapes: relative or malformed URLs, other schemes,
/// <c>http</c> to any non-loopback host, URLs with user information, and Lightning UI hosts
/// (<c>*.lightning.force.com</c>), which do not serve the API.</para>
/// </remarks>
public static class InstanceUrl
{
    private const string Shapes =
        "Accepted shapes: https://<domain>.my.salesforce.com (production), https://<domain>--<sandbox>.sandbox.my.salesforce.com (sandbox), "
        + "https://<domain>.develop.my.salesforce.com (developer edition), https://<domain>.scratch.my.salesforce.com (scratch org), "
        + "https://<instance>.salesforce.com (legacy instance), https://login.salesforce.com or https://test.salesforce.com (login), "
        + "and http://127.0.0.1:<port> or http://localhost:<port> (local org).";

    /// <summary>Validates <paramref name="url"/> and returns its scheme, host and port as an absolute URI ending in '/'.</summary>
    /// <param name="url">The URL as text.</param>
    /// <param name="paramName">The argument name reported in the exception.</param>
    /// <exception cref="ArgumentException">The URL is not an accepted shape.</exception>
    public static Uri Normalize(string url, string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(url, paramName ?? nameof(url));
        if (!url.Contains("://", StringComparison.Ordinal) || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
        {
            throw new ArgumentException($"'{Redact(url)}' is not an absolute URL. {Shapes}", paramName ?? nameof(url));
        }

        return Normalize(uri, paramName);
    }

    /// <summary>Validates <paramref name="url"/> and returns its scheme, host and port as an absolute URI ending in '/'.</summary>
    /// <param name="url">The URL.</param>
    /// <param name="paramName">The argument name reported in the exception.</param>
    /// <exception cref="ArgumentException">The URL is not an accepted shape.</exception>
    public static Uri Normalize(Uri url, string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(url, paramName ?? nameof(url));
        paramName ??= nameof(url);
        if (!url.IsAbsoluteUri || url.IsFile || url.OriginalString.StartsWith('/'))
        {
            throw new ArgumentException($"'{url.OriginalString}' is not an absolute URL. {Shapes}", paramName);
        }

        var shown = Redact(url.OriginalString);
        if (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException($"'{shown}' uses the scheme '{url.Scheme}'; Salesforce is reached over https. {Shapes}", paramName);
        }

        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            throw new ArgumentException($"The URL '{shown}' carries user information; pass credentials through an authenticator instead. {Shapes}", paramName);
        }

        var host = url.IdnHost;
        if (string.IsNullOrEmpty(host) || host.Contains('_', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{shown}' has no valid host name. {Shapes}", paramName);
        }

        if (url.Scheme == Uri.UriSchemeHttp && !IsLoopback(url))
        {
            throw new ArgumentException($"'{shown}' uses http; only https is allowed except for a local org on 127.0.0.1, [::1] or localhost. {Shapes}", paramName);
        }

        if (host.EndsWith(".lightning.force.com", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{shown}' is a Lightning UI host, which does not serve the API; use the org's My Domain URL (https://<domain>.my.salesforce.com). {Shapes}", paramName);
        }

        if (url.HostNameType == UriHostNameType.Dns && !host.Contains('.', StringComparison.Ordinal) && !IsLoopback(url))
        {
            throw new ArgumentException($"'{shown}' has a host name without a domain. {Shapes}", paramName);
        }

        return new Uri(url.GetLeftPart(UriPartial.Authority) + "/", UriKind.Absolute);
    }

    /// <summary>Whether the URL points at this machine (127.0.0.0/8, ::1 or localhost).</summary>
    public static bool IsLoopback(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (string.Equals(url.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }

    /// <summary>Whether the host is a sandbox or test login host (used to pick the JWT audience).</summary>
    internal static bool IsSandboxHost(Uri url)
    {
        var host = url.Host;
        return host.Equals("test.salesforce.com", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".sandbox.my.salesforce.com", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".sandbox.my.salesforce.mil", StringComparison.OrdinalIgnoreCase)
            || host.Contains("--", StringComparison.Ordinal) && host.EndsWith(".my.salesforce.com", StringComparison.OrdinalIgnoreCase)
            || host.StartsWith("cs", StringComparison.OrdinalIgnoreCase) && host.EndsWith(".salesforce.com", StringComparison.OrdinalIgnoreCase)
               && host.Length > 2 && char.IsAsciiDigit(host[2]);
    }

    private static string Redact(string url)
    {
        // Never echo credentials that may sit in the user-info part or the query.
        var at = url.IndexOf('@', StringComparison.Ordinal);
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (at > 0 && scheme > 0 && at > scheme)
        {
            url = string.Concat(url.AsSpan(0, scheme + 3), "***", url.AsSpan(at));
        }

        var q = url.IndexOf('?', StringComparison.Ordinal);
        return q >= 0 ? url[..q] + "?…" : url;
    }
}
