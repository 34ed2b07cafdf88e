namespace Sdk.Runtime;

/// <summary>A REST API version the org serves (<c>GET /services/data</c>).</summary>
/// <param name="Version">The version.</param>
/// <param name="Label">The release name, for example <c>Spring '26</c>.</param>
/// <param name="Url">The version's path, for example <c>/services/data/v66.0</c>.</param>
public sealed record ApiVersionInfo(ApiVersion Version, string Label, string Url);
