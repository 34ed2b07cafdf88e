using System.Collections.Generic;
using System.Linq;
using System.Text;
using static Sdk.Generator.SourceWriter;

namespace Sdk.Generator;

public sealed partial class SchemaGenerator
{
    /// <summary>
    /// Emits a match of a UTF-8 span against fixed keys: a switch on the length, then, inside a group of the same length, a
    /// switch on the byte position that best tells the group apart (chosen here, at generation time), and a final exact
    /// comparison. Each body must end in a jump (return).
    /// </summary>
    internal static void EmitByteDispatch(SourceWriter w, string span, IReadOnlyList<(string Key, string Body)> cases)
    {
        var keyed = cases.Select(c => (Bytes: Encoding.UTF8.GetBytes(c.Key), c.Key, c.Body)).ToList();
        w.Open("switch (" + span + ".Length)");
        foreach (var group in keyed.GroupBy(c => c.Bytes.Length).OrderBy(g => g.Key))
        {
            w.Line("case " + Int(group.Key) + ":");
            w.Open("{");
            EmitGroup(w, span, group.ToList(), new HashSet<int>());
            w.Line("break;");
            w.Close();
        }

        w.Close();
    }

    private static void EmitGroup(SourceWriter w, string span, List<(byte[] Bytes, string Key, string Body)> group, HashSet<int> used)
    {
        if (group.Count <= 2)
        {
            foreach (var c in group)
            {
                w.Line("if (global::System.MemoryExtensions.SequenceEqual(" + span + ", " + Lit(c.Key) + "u8)) { " + c.Body + " }");
            }

            return;
        }

        var length = group[0].Bytes.Length;
        var best = -1;
        var bestDistinct = 1;
        for (var p = 0; p < length; p++)
        {
            if (used.Contains(p))
            {
                continue;
            }

            var distinct = group.Select(c => c.Bytes[p]).Distinct().Count();
            if (distinct > bestDistinct)
            {
                best = p;
                bestDistinct = distinct;
            }
        }

        if (best < 0)
        {
            foreach (var c in group)
            {
                w.Line("if (global::System.MemoryExtensions.SequenceEqual(" + span + ", " + Lit(c.Key) + "u8)) { " + c.Body + " }");
            }

            return;
        }

        var next = new HashSet<int>(used) { best };
        w.Open("switch (" + span + "[" + Int(best) + "])");
        foreach (var sub in group.GroupBy(c => c.Bytes[best]).OrderBy(g => g.Key))
        {
            w.Line("case 0x" + sub.Key.ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + ":");
            w.Open("{");
            EmitGroup(w, span, sub.ToList(), next);
            w.Line("break;");
            w.Close();
        }

        w.Close();
    }
}
