namespace Sdk.Runtime.Records;

/// <summary>A compound address field (read-only: set its component fields, such as <c>BillingCity</c>, to change it).</summary>
public sealed record Address
{
    /// <summary>Street.</summary>
    public string? Street { get; init; }

    /// <summary>City.</summary>
    public string? City { get; init; }

    /// <summary>State or province.</summary>
    public string? State { get; init; }

    /// <summary>State code, when state and country picklists are on.</summary>
    public string? StateCode { get; init; }

    /// <summary>Postal code.</summary>
    public string? PostalCode { get; init; }

    /// <summary>Country.</summary>
    public string? Country { get; init; }

    /// <summary>Country code, when state and country picklists are on.</summary>
    public string? CountryCode { get; init; }

    /// <summary>Latitude.</summary>
    public double? Latitude { get; init; }

    /// <summary>Longitude.</summary>
    public double? Longitude { get; init; }

    /// <summary>How exact the geocode is.</summary>
    public string? GeocodeAccuracy { get; init; }
}

/// <summary>A compound geolocation field.</summary>
/// <param name="Latitude">Latitude.</param>
/// <param name="Longitude">Longitude.</param>
public sealed record GeoLocation(double? Latitude, double? Longitude);

/// <summary>
/// A base64 field. Read from the server it holds the URL of the content, fetched on demand with
/// <c>SObjectsClient.OpenBlobAsync</c>; to upload, create one from bytes.
/// </summary>
public sealed class SalesforceBlob
{
    private SalesforceBlob(string? url, ReadOnlyMemory<byte>? content)
    {
        Url = url;
        Content = content;
    }

    /// <summary>The REST path of the content, for example <c>/services/data/v66.0/sobjects/Document/015…/Body</c>.</summary>
    public string? Url { get; }

    /// <summary>The bytes to upload, when created from bytes.</summary>
    public ReadOnlyMemory<byte>? Content { get; }

    /// <summary>A reference read from the server.</summary>
    public static SalesforceBlob FromUrl(string url) => new(url, null);

    /// <summary>Content to upload.</summary>
    public static SalesforceBlob FromBytes(ReadOnlyMemory<byte> content) => new(null, content);

    /// <inheritdoc/>
    public override string ToString() => Url ?? $"{Content?.Length ?? 0} bytes";
}
