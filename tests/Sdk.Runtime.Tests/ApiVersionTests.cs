namespace Sdk.Runtime.Tests;

public class ApiVersionTests
{
    [Theory]
    [InlineData("52", 52)]
    [InlineData("52.", 52)]
    [InlineData("52.0", 52)]
    [InlineData("v52", 52)]
    [InlineData("v52.", 52)]
    [InlineData("v52.0", 52)]
    [InlineData("V60.0", 60)]
    [InlineData(" 66.0 ", 66)]
    public void Parse_AcceptedForms_GiveMajor(string text, int major)
    {
        var version = ApiVersion.Parse(text);
        Assert.Equal(major, version.Major);
        Assert.Equal($"{major}.0", version.ToString());
        Assert.Equal($"v{major}.0", version.PathSegment);
    }

    [Theory]
    [InlineData("52.1", "minor part must be 0")]
    [InlineData("52.00", "minor part must be 0")]
    [InlineData("v", "not a Salesforce API version")]
    [InlineData("", "not a Salesforce API version")]
    [InlineData("abc", "not a Salesforce API version")]
    [InlineData("vv52", "not a Salesforce API version")]
    [InlineData("52.0.0", "minor part must be 0")]
    [InlineData("-52", "not a Salesforce API version")]
    [InlineData("1234", "not a Salesforce API version")]
    [InlineData("19.0", "older than 20.0")]
    public void Parse_Rejected_SaysWhyAndListsForms(string text, string why)
    {
        var ex = Assert.Throws<FormatException>(() => ApiVersion.Parse(text));
        Assert.Contains(why, ex.Message, StringComparison.Ordinal);
        Assert.Contains("Accepted forms", ex.Message, StringComparison.Ordinal);
        Assert.False(ApiVersion.TryParse(text, out _));
    }

    [Fact]
    public void Default_IsRecentAndDocumented()
    {
        Assert.Equal(66, ApiVersion.Default.Major);
        Assert.True(new ApiVersion(60) < ApiVersion.Default);
    }

    [Fact]
    public void Constructor_OutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ApiVersion(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ApiVersion(1000));
    }
}
