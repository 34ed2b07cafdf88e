using System.Text.Json;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Tests.Records;

public class SalesforceIdTests
{
    [Theory]
    [InlineData("001Da00000xnAk6", "001Da00000xnAk6IAE")]
    [InlineData("0035500001H9kZu", "0035500001H9kZuAAJ")]
    [InlineData("00U9H000000RzvR", "00U9H000000RzvRUAS")]
    [InlineData("a001a000002zhZy", "a001a000002zhZyAAI")]
    public void Parse_15Characters_Gives18WithRealSuffix(string id15, string id18)
    {
        var id = SalesforceId.Parse(id15);
        Assert.Equal(id18, id.Value);
        Assert.Equal(id15, id.ToShortString());
        Assert.Equal(id, SalesforceId.Parse(id18));
    }

    [Fact]
    public void Parse_18WithLostCase_RestoresCaseFromSuffix()
    {
        var original = SalesforceId.Parse("001Da00000xnAk6IAE");
        Assert.Equal(original, SalesforceId.Parse("001DA00000XNAK6IAE"));
        Assert.Equal(original, SalesforceId.Parse("001da00000xnak6iae"));
        Assert.Equal("001Da00000xnAk6IAE", SalesforceId.Parse("001da00000xnak6iae").Value);
    }

    [Fact]
    public void Parse_CanonicalText_KeepsTheStringInsteadOfCopyingIt_OtherFormsAreCanonicalized()
    {
        var canonical = new string("001Da00000xnAk6IAE".AsSpan());
        Assert.Same(canonical, SalesforceId.Parse(canonical).Value);
        Assert.True(SalesforceId.TryParse(canonical, out var parsed));
        Assert.Same(canonical, parsed.Value);

        // A lower-case suffix is valid but not canonical: the value is the canonical copy.
        var lowerSuffix = "001Da00000xnAk6iae";
        Assert.Equal("001Da00000xnAk6IAE", SalesforceId.Parse(lowerSuffix).Value);
        Assert.NotSame(lowerSuffix, SalesforceId.Parse(lowerSuffix).Value);
    }

    [Fact]
    public void RandomIds_18CharacterFormParsesToItself_AWrongSuffixIsRefused()
    {
        const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        var random = new Random(7);
        for (var n = 0; n < 5_000; n++)
        {
            var id15 = string.Create(15, random, (chars, r) =>
            {
                for (var i = 0; i < chars.Length; i++)
                {
                    chars[i] = Alphabet[r.Next(Alphabet.Length)];
                }
            });
            var id18 = SalesforceId.Parse(id15).Value;
            Assert.True(SalesforceId.TryParse(id18, out var parsed), id18);
            Assert.Same(id18, parsed.Value);

            // Another suffix letter for one chunk: a different id, which the first fifteen characters do not match
            // unless their case can be restored from it (a single-case id).
            var wrong = id18[..15] + (id18[15] == 'A' ? 'B' : 'A') + id18[16..];
            if (SalesforceId.TryParse(wrong, out var other))
            {
                Assert.NotEqual(id18, other.Value);
                Assert.Equal(id18[..15], other.Value[..15], ignoreCase: true);
            }
        }
    }

    [Fact]
    public void AnyCharacterNotALetterOrDigit_AtAnyPosition_IsRefused()
    {
        // Characters just outside the ranges of digits and letters, and non-ASCII look-alikes: in place of a digit or a
        // lower-case letter they leave the suffix matching, so only the character check can refuse them.
        const string Valid = "001Da00000xnAk6IAE";
        foreach (var bad in "/:@[`{\0é٣Ａ -~")
        {
            for (var i = 0; i < Valid.Length; i++)
            {
                var text = string.Concat(Valid.AsSpan(0, i), bad.ToString(), Valid.AsSpan(i + 1));
                Assert.False(SalesforceId.TryParse(text, out _), $"'{text}' (character {i + 1})");
            }
        }
    }

    [Fact]
    public void Equality_IsCaseSafe_15CharIdsDifferingInCaseAreDifferentRecords()
    {
        var a = SalesforceId.Parse("001Da00000xnAk6");
        var b = SalesforceId.Parse("001DA00000xnAk6");
        Assert.NotEqual(a, b);
        Assert.NotEqual(a.GetHashCode(), b.GetHashCode());
    }

    [Theory]
    [InlineData("001Da00000xnAk6IAF", "do not match")]
    [InlineData("001Da00000xnAk", "15 or 18 characters")]
    [InlineData("001Da00000xnAk6I", "15 or 18 characters")]
    [InlineData("001Da00000xn-k6IAE", "not a letter or digit")]
    [InlineData("001Da00000xnAk6IA9", "do not match")]
    public void Parse_Invalid_SaysWhy(string text, string why)
    {
        var ex = Assert.Throws<FormatException>(() => SalesforceId.Parse(text));
        Assert.Contains(why, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyPrefix_IsFirstThreeCharacters() => Assert.Equal("003", SalesforceId.Parse("0035500001H9kZuAAJ").KeyPrefix);

    [Fact]
    public void Json_RoundTripsAsString()
    {
        var id = SalesforceId.Parse("0035500001H9kZu");
        var json = JsonSerializer.Serialize(id);
        Assert.Equal("\"0035500001H9kZuAAJ\"", json);
        Assert.Equal(id, JsonSerializer.Deserialize<SalesforceId>(json));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<SalesforceId>("\"nope\""));
    }
}
