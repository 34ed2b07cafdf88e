using System.Net;
using System.Text;
using Sdk.Runtime.Errors;
using Sdk.Runtime.Errors.Internal;
using Sdk.Runtime.Tests.TestSupport;

namespace Sdk.Runtime.Tests.Errors;

public class SalesforceErrorParserTests
{
    [Theory]
    [InlineData("create-invalid-api-version.404.json", 404, typeof(RecordNotFoundException), "NOT_FOUND", "")]
    [InlineData("create-invalid-field.400.json", 400, typeof(SalesforceException), "INVALID_FIELD", "")]
    [InlineData("create-invalid-picklist-value.400.json", 400, typeof(SalesforceException), "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "Rating__c")]
    [InlineData("create-invalid-token.401.json", 401, typeof(SessionExpiredException), "INVALID_SESSION_ID", "")]
    [InlineData("create-required-field-missing.400.json", 400, typeof(SalesforceException), "REQUIRED_FIELD_MISSING", "Website__c")]
    [InlineData("create-unknown-object.404.json", 404, typeof(RecordNotFoundException), "NOT_FOUND", "")]
    [InlineData("data-api-create-invalid-token-session-error.401.json", 401, typeof(SessionExpiredException), "INVALID_SESSION_ID", "")]
    [InlineData("delete-already-deleted.404.json", 404, typeof(RecordNotFoundException), "ENTITY_IS_DELETED", "")]
    [InlineData("query-malformed-soql.400.json", 400, typeof(SalesforceException), "MALFORMED_QUERY", "")]
    [InlineData("query-unknown-column.400.json", 400, typeof(SalesforceException), "INVALID_FIELD", "")]
    [InlineData("update-invalid-field.400.json", 400, typeof(SalesforceException), "INVALID_FIELD", "")]
    [InlineData("update-malformed-id.400.json", 400, typeof(SalesforceException), "MALFORMED_ID", "Id")]
    public void RealErrorBodies_MapToTypedExceptions(string file, int status, Type type, string code, string fields)
    {
        var body = Encoding.UTF8.GetBytes(TestClients.Fixture("errors/" + file));
        var ex = SalesforceErrorParser.Create((HttpStatusCode)status, body, null, null, "POST", "/services/data/v66.0/sobjects/Account");
        Assert.IsType(type, ex);
        Assert.Equal(code, ex.ErrorCode);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Equal(fields, string.Join(",", ex.Fields));
        Assert.Equal("POST", ex.RequestMethod);
        Assert.Equal("/services/data/v66.0/sobjects/Account", ex.RequestPath);
        Assert.Contains("[POST /services/data/v66.0/sobjects/Account", ex.Message, StringComparison.Ordinal);
        Assert.Single(ex.Errors);
    }

    [Fact]
    public void UnknownColumn_KeepsMultiLineMessage()
    {
        var body = Encoding.UTF8.GetBytes(TestClients.Fixture("errors/query-unknown-column.400.json"));
        var ex = SalesforceErrorParser.Create(HttpStatusCode.BadRequest, body, null, null, "GET", "/services/data/v66.0/query");
        Assert.Contains("ERROR at Row:1:Column:8", ex.Message, StringComparison.Ordinal);
        Assert.Contains("No such column 'Bacon__c'", ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HtmlEscapedBody_IsDecoded()
    {
        var body = Encoding.UTF8.GetBytes("[{&quot;message&quot;:&quot;Can&#39;t delete &lt;record&gt;&quot;,&quot;errorCode&quot;:&quot;DELETE_FAILED&quot;}]");
        var ex = SalesforceErrorParser.Create(HttpStatusCode.BadRequest, body, null, null, "DELETE", "/x");
        Assert.Equal("DELETE_FAILED", ex.ErrorCode);
        Assert.Equal("Can't delete <record>", ex.Errors[0].Message);
    }

    [Fact]
    public void EscapedEntitiesInMessage_Decoded()
    {
        var body = Encoding.UTF8.GetBytes("""[{"message":"Value &quot;x&quot; is too long","errorCode":"STRING_TOO_LONG","fields":["Name"]}]""");
        var ex = SalesforceErrorParser.Create(HttpStatusCode.BadRequest, body, null, null, "POST", "/x");
        Assert.Equal("Value \"x\" is too long", ex.Errors[0].Message);
    }

    [Fact]
    public void HtmlPage_UsefulMessage()
    {
        var body = Encoding.UTF8.GetBytes("<html><head><title>503 Service Temporarily Unavailable</title></head><body><h1>Maintenance</h1></body></html>");
        var ex = SalesforceErrorParser.Create(HttpStatusCode.ServiceUnavailable, body, new System.Net.Http.Headers.MediaTypeHeaderValue("text/html"), null, "GET", "/services/data/v66.0/limits");
        Assert.IsType<SalesforceServerException>(ex);
        Assert.Contains("503 Service Temporarily Unavailable", ex.Message, StringComparison.Ordinal);
        Assert.Contains("text/html", ex.Message, StringComparison.Ordinal);
        Assert.Contains("GET /services/data/v66.0/limits", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyBody_SaysSo()
    {
        var ex = SalesforceErrorParser.Create(HttpStatusCode.BadGateway, [], null, null, "GET", "/x");
        Assert.Contains("empty body", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MultipleChoices_ListsUrls()
    {
        var body = Encoding.UTF8.GetBytes("""["/services/data/v66.0/sobjects/Account/001000000000001AAA","/services/data/v66.0/sobjects/Account/001000000000002AAA"]""");
        var ex = Assert.IsType<MultipleRecordsFoundException>(SalesforceErrorParser.Create(HttpStatusCode.MultipleChoices, body, null, null, "GET", "/x"));
        Assert.Equal(2, ex.RecordUrls.Count);
        Assert.EndsWith("001000000000002AAA", ex.RecordUrls[1], StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicatesDetected_CarriesMatchedIds()
    {
        var body = Encoding.UTF8.GetBytes("""
            [{"duplicateResult":{"allowSave":false,"duplicateRule":"Standard_Account_Duplicate_Rule","duplicateRuleEntityType":"Account","errorMessage":"You're creating a duplicate record.","matchResults":[{"entityType":"Account","errors":[],"matchEngine":"FuzzyMatchEngine","matchRecords":[{"additionalInformation":[],"fieldDiffs":[],"matchConfidence":88.0,"record":{"attributes":{"type":"Account","url":"/services/data/v66.0/sobjects/Account/001Da00000xnAk6IAE"},"Id":"001Da00000xnAk6IAE"}}],"rule":"Standard_Account_Match_Rule_v1_0","size":1,"success":true}]},"errorCode":"DUPLICATES_DETECTED","message":"You're creating a duplicate record. We recommend you use an existing record instead."}]
            """);
        var ex = Assert.IsType<DuplicatesDetectedException>(SalesforceErrorParser.Create(HttpStatusCode.BadRequest, body, null, null, "POST", "/x"));
        Assert.Equal(["001Da00000xnAk6IAE"], ex.DuplicateIds);
    }

    [Theory]
    [InlineData(403, """[{"errorCode":"REQUEST_LIMIT_EXCEEDED","message":"TotalRequests Limit exceeded."}]""", typeof(RequestLimitExceededException))]
    [InlineData(429, "", typeof(RequestLimitExceededException))]
    [InlineData(403, """[{"errorCode":"INSUFFICIENT_ACCESS_OR_READONLY","message":"no"}]""", typeof(InsufficientAccessException))]
    [InlineData(400, """[{"errorCode":"INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY","message":"no"}]""", typeof(InsufficientAccessException))]
    [InlineData(400, """[{"errorCode":"UNABLE_TO_LOCK_ROW","message":"locked"}]""", typeof(RecordLockedException))]
    [InlineData(500, """{"errorCode":"UNKNOWN_EXCEPTION","message":"An unexpected error occurred."}""", typeof(SalesforceServerException))]
    public void StatusAndCode_PickSubtype(int status, string body, Type type)
        => Assert.IsType(type, SalesforceErrorParser.Create((HttpStatusCode)status, Encoding.UTF8.GetBytes(body), null, null, "GET", "/x"));
}
