namespace Sdk.Runtime.Errors;

/// <summary>One error entry of a Salesforce error body.</summary>
/// <param name="ErrorCode">The error code, for example <c>INVALID_FIELD</c>.</param>
/// <param name="Message">The message, HTML entities decoded.</param>
/// <param name="Fields">The fields the error is about, when given.</param>
public sealed record SalesforceError(string ErrorCode, string Message, IReadOnlyList<string> Fields)
{
    /// <summary>Ids of existing records matched by a duplicate rule (<c>DUPLICATES_DETECTED</c>), else empty.</summary>
    public IReadOnlyList<string> DuplicateIds { get; init; } = [];

    /// <inheritdoc/>
    public override string ToString() => Fields.Count == 0 ? $"{ErrorCode}: {Message}" : $"{ErrorCode}: {Message} (fields: {string.Join(", ", Fields)})";
}
