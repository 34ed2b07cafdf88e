using System.Text.Json;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Tests.Records;

public class SalesforceFormatsTests
{
    [Theory]
    [InlineData("2024-01-02T03:04:05.000+0000", 2024, 1, 2, 3, 4, 5, 0, 0)]
    [InlineData("2019-11-19T22:45:48.000+0000", 2019, 11, 19, 22, 45, 48, 0, 0)]
    [InlineData("2024-01-02T03:04:05.123Z", 2024, 1, 2, 3, 4, 5, 123, 0)]
    [InlineData("2024-01-02T03:04:05Z", 2024, 1, 2, 3, 4, 5, 0, 0)]
    [InlineData("2024-01-02T03:04:05.000+00:00", 2024, 1, 2, 3, 4, 5, 0, 0)]
    [InlineData("2024-01-02T03:04:05.000-0800", 2024, 1, 2, 3, 4, 5, 0, -8)]
    [InlineData("3156-11-12T13:00:00.000+0000", 3156, 11, 12, 13, 0, 0, 0, 0)]
    public void ParseDateTime_SalesforceForms(string text, int y, int mo, int d, int h, int mi, int s, int ms, int offsetHours)
    {
        var value = SalesforceFormats.ParseDateTime(text);
        Assert.Equal(new DateTimeOffset(y, mo, d, h, mi, s, ms, TimeSpan.FromHours(offsetHours)), value);
        Assert.Equal(TimeSpan.FromHours(offsetHours), value.Offset);
    }

    [Theory]
    [InlineData("2024-13-02T03:04:05.000+0000")]
    [InlineData("2024-02-30T03:04:05.000+0000")]
    [InlineData("2024-01-02 03:04")]
    [InlineData("2024-01-02T03:04:05.000")]
    [InlineData("2024-01-02T03:04:05.+0000")]
    [InlineData("2024-01-02T03:04:05.000+99:00")]
    public void ParseDateTime_Invalid_Rejected(string text) => Assert.False(SalesforceFormats.TryParseDateTime(text, out _));

    [Fact]
    public void FormatDateTime_WritesUtcWithMillisAndPlus0000()
    {
        var value = new DateTimeOffset(2024, 1, 2, 5, 4, 5, 7, TimeSpan.FromHours(2));
        Assert.Equal("2024-01-02T03:04:05.007+0000", SalesforceFormats.FormatDateTime(value));
    }

    [Fact]
    public void DateAndTime_RoundTrip()
    {
        Assert.Equal("2024-02-29", SalesforceFormats.FormatDate(new DateOnly(2024, 2, 29)));
        Assert.Equal("03:04:05.000Z", SalesforceFormats.FormatTime(new TimeOnly(3, 4, 5)));
        Assert.True(SalesforceFormats.TryParseTime("03:04:05.000Z".AsSpan(), out var t));
        Assert.Equal(new TimeOnly(3, 4, 5), t);
        Assert.True(SalesforceFormats.TryParseTime("23:59:59.5Z".AsSpan(), out var t2));
        Assert.Equal(new TimeOnly(23, 59, 59, 500), t2);
        Assert.False(SalesforceFormats.TryParseTime("24:00:00.000Z".AsSpan(), out _));
    }

    [Fact]
    public void Converters_ReadAndWriteExactly()
    {
        var options = new JsonSerializerOptions();
        options.Converters.Add(SalesforceDateTimeOffsetConverter.Instance);
        options.Converters.Add(SalesforceDateOnlyConverter.Instance);
        options.Converters.Add(SalesforceTimeOnlyConverter.Instance);
        var value = JsonSerializer.Deserialize<Sample>("""{"At":"2024-11-07T07:00:00.000+0000","On":"2024-11-07","When":"07:00:00.000Z"}""", options)!;
        Assert.Equal(new DateTimeOffset(2024, 11, 7, 7, 0, 0, TimeSpan.Zero), value.At);
        Assert.Equal(new DateOnly(2024, 11, 7), value.On);
        Assert.Equal(new TimeOnly(7, 0), value.When);
        Assert.Equal("""{"At":"2024-11-07T07:00:00.000+0000","On":"2024-11-07","When":"07:00:00.000Z"}""", JsonSerializer.Serialize(value, options));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Sample>("""{"On":"11/07/2024"}""", options));
    }

    public sealed class Sample
    {
        public DateTimeOffset At { get; set; }

        public DateOnly On { get; set; }

        public TimeOnly When { get; set; }
    }
}
