using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sdk.Cli.Describe.Schema;

/// <summary>
/// <c>sf-describe.json</c> beside the describe files: the org id, instance, API version and the pulled objects, each with the
/// schema time the org reported (the <c>Last-Modified</c> of its describe, sent back as <c>If-Modified-Since</c> on the next
/// pull). No secrets and no time of the pull, so an unchanged org leaves it byte for byte the same.
/// </summary>
public sealed class SchemaManifest
{
    /// <summary>The manifest's file name.</summary>
    public const string FileName = "sf-describe.json";

    /// <summary>The org's id (15 characters), when known.</summary>
    public string? OrgId { get; set; }

    /// <summary>The instance URL the files were pulled from.</summary>
    public string? InstanceUrl { get; set; }

    /// <summary>The API version of the describes.</summary>
    public string? ApiVersion { get; set; }

    /// <summary>The pulled objects by API name, with the org's <c>Last-Modified</c> of each describe (null when not given).</summary>
    public SortedDictionary<string, DateTimeOffset?> Objects { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads the manifest of a folder; null when there is none.</summary>
    /// <exception cref="InvalidDataException">The manifest exists but cannot be read; the message names it.</exception>
    public static SchemaManifest? Load(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var root = JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject ?? throw new InvalidDataException($"{path}: not a JSON object.");
            var manifest = new SchemaManifest
            {
                OrgId = (string?)root["orgId"],
                InstanceUrl = (string?)root["instanceUrl"],
                ApiVersion = (string?)root["apiVersion"],
            };
            if (root["objects"] is JsonObject objects)
            {
                foreach (var (name, value) in objects)
                {
                    manifest.Objects[name] = value is null ? null : DateTimeOffset.Parse((string)value!, System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            return manifest;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path}: cannot be read ({ex.Message}).", ex);
        }
    }

    /// <summary>The manifest's bytes (sorted, indented, LF, trailing newline).</summary>
    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, DescribeFile.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("apiVersion", ApiVersion);
            writer.WriteString("instanceUrl", InstanceUrl);
            writer.WriteStartObject("objects");
            foreach (var (name, modified) in Objects)
            {
                if (modified is { } m)
                {
                    writer.WriteString(name, m.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    writer.WriteNull(name);
                }
            }

            writer.WriteEndObject();
            writer.WriteString("orgId", OrgId);
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
