using System.Text.Json.Serialization;

namespace Sdk.Runtime.SObjects.Internal;

/// <summary>The body of a create, update or upsert answer.</summary>
internal sealed class SaveResponse
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("success")]
    public bool Success { get; set; }

    [JsonPropertyName("created")]
    public bool? Created { get; set; }

    [JsonPropertyName("errors")]
    public List<SaveError>? Errors { get; set; }
}

internal sealed class SaveError
{
    [JsonPropertyName("statusCode")]
    public string? StatusCode { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("fields")]
    public List<string>? Fields { get; set; }
}

internal sealed class ApiVersionResponse
{
    [JsonPropertyName("label")]
    public string? Label { get; set; }

    [JsonPropertyName("url")]
    public string? Url { get; set; }

    [JsonPropertyName("version")]
    public string? Version { get; set; }
}

internal sealed class UpdatedResponse
{
    [JsonPropertyName("ids")]
    public List<string>? Ids { get; set; }

    [JsonPropertyName("latestDateCovered")]
    [JsonConverter(typeof(Sdk.Runtime.Records.SalesforceDateTimeOffsetConverter))]
    public DateTimeOffset? LatestDateCovered { get; set; }
}

internal sealed class DeletedResponse
{
    [JsonPropertyName("deletedRecords")]
    public List<DeletedRecordResponse>? DeletedRecords { get; set; }

    [JsonPropertyName("earliestDateAvailable")]
    [JsonConverter(typeof(Sdk.Runtime.Records.SalesforceDateTimeOffsetConverter))]
    public DateTimeOffset? EarliestDateAvailable { get; set; }

    [JsonPropertyName("latestDateCovered")]
    [JsonConverter(typeof(Sdk.Runtime.Records.SalesforceDateTimeOffsetConverter))]
    public DateTimeOffset? LatestDateCovered { get; set; }
}

internal sealed class DeletedRecordResponse
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("deletedDate")]
    [JsonConverter(typeof(Sdk.Runtime.Records.SalesforceDateTimeOffsetConverter))]
    public DateTimeOffset? DeletedDate { get; set; }
}
