using System.Net;

namespace Sdk.Emulator.Rest;

/// <summary>One error in Salesforce's error body: <c>{"message":…,"errorCode":…,"fields":[…]}</c>.</summary>
internal sealed record ApiError(string ErrorCode, string Message, IReadOnlyList<string>? Fields = null);

/// <summary>Ends a request with a Salesforce error response (the body is a JSON array of <see cref="ApiError"/>).</summary>
internal sealed class ApiException : Exception
{
    public ApiException(HttpStatusCode status, string errorCode, string message, IReadOnlyList<string>? fields = null)
        : base(message)
    {
        Status = status;
        Errors = [new ApiError(errorCode, message, fields)];
    }

    public ApiException(HttpStatusCode status, IReadOnlyList<ApiError> errors)
        : base(errors.Count > 0 ? errors[0].Message : "error")
    {
        Status = status;
        Errors = errors;
    }

    public HttpStatusCode Status { get; }

    public IReadOnlyList<ApiError> Errors { get; }

    public static ApiException NotFound() => new(HttpStatusCode.NotFound, "NOT_FOUND", "The requested resource does not exist");

    public static ApiException BadRequest(string code, string message, params string[] fields)
        => new(HttpStatusCode.BadRequest, code, message, fields.Length == 0 ? null : fields);
}
