namespace Sdk.Runtime.Query;

/// <summary>Options of one SOQL query.</summary>
public sealed record QueryOptions
{
    /// <summary>The defaults: a plain query, server-chosen batch size.</summary>
    public static QueryOptions Default { get; } = new();

    /// <summary>Whether deleted and archived records are included (the <c>queryAll</c> resource).</summary>
    /// <value>The default value is false.</value>
    public bool IncludeDeleted { get; init; }

    /// <summary>Records per page (<c>Sforce-Query-Options: batchSize</c>), 200 to 2,000; null uses the client's setting.</summary>
    /// <value>The default value is null.</value>
    public int? BatchSize { get; init; }

    internal void Validate()
    {
        if (BatchSize is < 200 or > 2000)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The query batch size must be between 200 and 2000.");
        }
    }
}
