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

    [Theory]
    [InlineData("0001-01-01T00:00:00.000+0100")] // an instant before DateTimeOffset.MinValue
    [InlineData("9999-12-31T23:59:59.000-0100")] // after MaxValue
    [InlineData("2023-02-29T00:00:00Z")]
    [InlineData("2024-01-02T03:04:05.000+14:60")]
    [InlineData("2024-01-02T03:04:05.000+1500")]
    [InlineData("2024-01-02T24:00:00Z")]
    [InlineData("2024-01-02T03:04:05Z ")]
    [InlineData("2024-01-02T03:04:05.000+000")]
    [InlineData("0000-01-02T03:04:05Z")]
    [InlineData("2024-01-0２T03:04:05Z")] // a full-width digit
    [InlineData("2024-01-0\u0662T03:04:05Z")] // an Arabic-Indic digit
    [InlineData("2024\u2010" + "01-02T03:04:05Z")] // a Unicode hyphen
    public void ParseDateTime_Invalid_RejectedFromTextAndUtf8(string text)
    {
        text = System.Text.RegularExpressions.Regex.Unescape(text);
        Assert.False(SalesforceFormats.TryParseDateTime(text.AsSpan(), out _));
        Assert.False(SalesforceFormats.TryParseDateTime(System.Text.Encoding.UTF8.GetBytes(text), out _));
    }

    [Fact]
    public void ParseDateTime_RandomInstantsInEveryForm_MatchFromTextAndUtf8()
    {
        var random = new Random(20261121);
        var minTicks = new DateTime(1700, 1, 1).Ticks;
        var maxTicks = new DateTime(4000, 12, 31).Ticks;
        for (var i = 0; i < 20_000; i++)
        {
            var offset = TimeSpan.FromMinutes(random.Next(-14 * 60, (14 * 60) + 1));
            var digits = random.Next(0, 8); // 0 = no fraction at all
            var local = new DateTime(minTicks + (long)(random.NextDouble() * (maxTicks - minTicks)));
            local = new DateTime(local.Ticks - (local.Ticks % (long)Math.Pow(10, 7 - digits)));
            var expected = new DateTimeOffset(local, offset);
            var fraction = digits == 0 ? string.Empty : "." + (local.Ticks % TimeSpan.TicksPerSecond).ToString("D7", System.Globalization.CultureInfo.InvariantCulture)[..digits];
            var zone = random.Next(3) switch
            {
                0 when offset == TimeSpan.Zero => "Z",
                1 => (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", System.Globalization.CultureInfo.InvariantCulture),
                _ => (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString("hhmm", System.Globalization.CultureInfo.InvariantCulture),
            };
            var text = local.ToString(random.Next(4) == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + fraction + zone;

            Assert.True(SalesforceFormats.TryParseDateTime(text.AsSpan(), out var fromText), text);
            Assert.True(SalesforceFormats.TryParseDateTime(System.Text.Encoding.UTF8.GetBytes(text), out var fromUtf8), text);
            Assert.Equal(expected, fromText);
            Assert.Equal(expected.Offset, fromText.Offset);
            Assert.Equal(expected.Ticks, fromUtf8.Ticks);
            Assert.Equal(expected.Offset, fromUtf8.Offset);
        }
    }

    [Fact]
    public void ParseDate_TextAndUtf8_AgreeWithTheCalendar()
    {
        var random = new Random(7);
        for (var i = 0; i < 5_000; i++)
        {
            var (y, m, d) = (random.Next(0, 10_000), random.Next(0, 14), random.Next(0, 33));
            var text = $"{y:D4}-{m:D2}-{d:D2}";
            var valid = y >= 1 && m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(Math.Max(y, 1), Math.Clamp(m, 1, 12));
            Assert.Equal(valid, SalesforceFormats.TryParseDate(text.AsSpan(), out var fromText));
            Assert.Equal(valid, SalesforceFormats.TryParseDate(System.Text.Encoding.UTF8.GetBytes(text), out var fromUtf8));
            if (valid)
            {
                Assert.Equal(new DateOnly(y, m, d), fromText);
                Assert.Equal(fromText, fromUtf8);
            }
        }

        Assert.False(SalesforceFormats.TryParseDate("2024-1-02".AsSpan(), out _));
        Assert.False(SalesforceFormats.TryParseDate("2024-01-0２".AsSpan(), out _));
    }

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
