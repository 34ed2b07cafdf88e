using Sdk.Runtime.Records;

namespace Sdk.Runtime.SObjects;

/// <summary>The result of an upsert by external id.</summary>
/// <param name="Id">The record's id. Null only when an old API version answered 204 without a body.</param>
/// <param name="Created">Whether a new record was created (true) or an existing one updated (false).</param>
public sealed record UpsertResult(SalesforceId? Id, bool Created);

/// <summary>Records changed in a time window (<c>GET /sobjects/{X}/updated</c>).</summary>
/// <param name="Ids">The ids of created or updated records.</param>
/// <param name="LatestDateCovered">The last time the answer covers.</param>
public sealed record UpdatedRecords(IReadOnlyList<SalesforceId> Ids, DateTimeOffset? LatestDateCovered);

/// <summary>One deleted record.</summary>
/// <param name="Id">Its id.</param>
/// <param name="DeletedDate">When it was deleted.</param>
public sealed record DeletedRecord(SalesforceId Id, DateTimeOffset? DeletedDate);

/// <summary>Records deleted in a time window (<c>GET /sobjects/{X}/deleted</c>).</summary>
/// <param name="Records">The deleted records.</param>
/// <param name="EarliestDateAvailable">The earliest deletion the org still knows about.</param>
/// <param name="LatestDateCovered">The last time the answer covers.</param>
public sealed record DeletedRecords(IReadOnlyList<DeletedRecord> Records, DateTimeOffset? EarliestDateAvailable, DateTimeOffset? LatestDateCovered);

/// <summary>An sObject as listed by the global describe.</summary>
/// <param name="Name">The API name.</param>
/// <param name="Label">The label.</param>
/// <param name="KeyPrefix">The id prefix, when the object has one.</param>
/// <param name="Custom">Whether it is a custom object.</param>
/// <param name="Queryable">Whether it can be queried.</param>
/// <param name="Createable">Whether records can be created.</param>
/// <param name="Updateable">Whether records can be updated.</param>
/// <param name="Deletable">Whether records can be deleted.</param>
public sealed record SObjectSummary(string Name, string Label, string? KeyPrefix, bool Custom, bool Queryable, bool Createable, bool Updateable, bool Deletable)
{
    /// <summary>The plural label.</summary>
    public string? LabelPlural { get; init; }

    /// <summary>Whether it can be searched.</summary>
    public bool Searchable { get; init; }

    /// <summary>Whether it is a custom setting.</summary>
    public bool CustomSetting { get; init; }
}

/// <summary>The org's objects (<c>GET /sobjects</c>).</summary>
/// <param name="Encoding">The org's character encoding.</param>
/// <param name="MaxBatchSize">The most records one SOAP/REST batch call takes.</param>
/// <param name="SObjects">The objects.</param>
public sealed record GlobalDescribe(string? Encoding, int MaxBatchSize, IReadOnlyList<SObjectSummary> SObjects);

/// <summary>An object's describe with the time the org last changed it.</summary>
/// <param name="Describe">The describe body; null when the object did not change since the time asked about (304).</param>
/// <param name="LastModified">The org's <c>Last-Modified</c> time of the object's metadata, when it sent one.</param>
public sealed record SObjectDescribeResult(System.Text.Json.Nodes.JsonObject? Describe, DateTimeOffset? LastModified)
{
    /// <summary>Whether the org answered 304 Not Modified.</summary>
    public bool NotModified => Describe is null;
}
