using System.Buffers;

namespace Sdk.Runtime.Query.Internal;

/// <summary>
/// Finds where a JSON object or array ends with a vectorized scan for structural bytes, without tokenizing. Used only to learn
/// whether a record is complete in the buffer; the record is then read (and validated) by the real reader.
/// </summary>
internal static class JsonExtent
{
    private static readonly SearchValues<byte> Structural = SearchValues.Create("{}[]\""u8);
    private static readonly SearchValues<byte> StringEnd = SearchValues.Create("\"\\"u8);

    /// <summary>Whether the container starting at <paramref name="data"/>[0] ends within <paramref name="data"/>.</summary>
    public static bool IsComplete(ReadOnlySpan<byte> data)
    {
        var depth = 0;
        var i = 0;
        while (i < data.Length)
        {
            var found = data[i..].IndexOfAny(Structural);
            if (found < 0)
            {
                return false;
            }

            i += found;
            var c = data[i];
            if (c == (byte)'"')
            {
                i++;
                while (true)
                {
                    var q = data[i..].IndexOfAny(StringEnd);
                    if (q < 0)
                    {
                        return false;
                    }

                    i += q;
                    if (data[i] == (byte)'\\')
                    {
                        i += 2;
                        if (i >= data.Length)
                        {
                            return false;
                        }

                        continue;
                    }

                    i++;
                    break;
                }

                continue;
            }

            if (c is (byte)'{' or (byte)'[')
            {
                depth++;
            }
            else if (--depth == 0)
            {
                return true;
            }

            i++;
        }

        return false;
    }
}
