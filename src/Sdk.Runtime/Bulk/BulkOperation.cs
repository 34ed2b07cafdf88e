namespace Sdk.Runtime.Bulk;

/// <summary>What a Bulk API ingest job does to each row.</summary>
public enum BulkOperation
{
    /// <summary>Creates records.</summary>
    Insert,

    /// <summary>Updates records by <c>Id</c>.</summary>
    Update,

    /// <summary>Creates or updates records by an external id field.</summary>
    Upsert,

    /// <summary>Deletes records by <c>Id</c> (to the recycle bin).</summary>
    Delete,

    /// <summary>Deletes records by <c>Id</c> permanently.</summary>
    HardDelete,
}

/// <summary>The state of a Bulk API job.</summary>
public enum BulkJobState
{
    /// <summary>A state this SDK does not know.</summary>
    Unknown,

    /// <summary>Created; data can be uploaded (ingest).</summary>
    Open,

    /// <summary>All data uploaded; queued.</summary>
    UploadComplete,

    /// <summary>Being processed.</summary>
    InProgress,

    /// <summary>Finished; results can be read.</summary>
    JobComplete,

    /// <summary>Failed; see <see cref="BulkJobInfo.ErrorMessage"/> and the failed and unprocessed results.</summary>
    Failed,

    /// <summary>Aborted by a user.</summary>
    Aborted,

    /// <summary>Closed (Bulk API 1.0).</summary>
    Closed,
}

/// <summary>The API names of the operations.</summary>
internal static class BulkOperationNames
{
    public static string ApiName(this BulkOperation operation) => operation switch
    {
        BulkOperation.Insert => "insert",
        BulkOperation.Update => "update",
        BulkOperation.Upsert => "upsert",
        BulkOperation.Delete => "delete",
        _ => "hardDelete",
    };
}
