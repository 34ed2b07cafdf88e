using System;
using System.Collections.Generic;
using System.Linq;
using Sdk.Generator.Model;
using static Sdk.Generator.SourceWriter;

namespace Sdk.Generator;

public sealed partial class SchemaGenerator
{
    private static readonly HashSet<string> PicklistReserved = new(StringComparer.Ordinal)
    {
        "Value", "IsKnown", "Label", "IsActive", "IsDefault", "KnownValues", "FromValue", "IsRestricted", "Equals", "GetHashCode",
        "ToString", "GetType", "ControllingField", "ValidFor",
    };

    private static void EmitPicklist(SourceWriter w, string typeName, string qualified, ObjectSpec spec, FieldSpec field, FieldSpec? controller, string? controllerType)
    {
        var values = field.PicklistValues;
        var names = new List<string>();
        var used = new HashSet<string>(PicklistReserved, StringComparer.Ordinal) { Bare(typeName) };
        foreach (var v in values)
        {
            var name = ValueIdentifier(v.Value);
            var candidate = name;
            if (PicklistReserved.Contains(Bare(name)) || Bare(name) == Bare(typeName))
            {
                name = candidate = Bare(name) + "Value";
            }

            for (var i = 2; used.Contains(Bare(candidate)); i++)
            {
                candidate = Bare(name) + Int(i);
            }

            used.Add(Bare(candidate));
            names.Add(candidate);
        }

        var restricted = (field.Flags & FieldFlags.RestrictedPicklist) != 0;
        w.Line("/// <summary>Values of <c>" + spec.ApiName + "." + field.ApiName + "</c> (" + Doc(field.Label) + "). An open set: a value not listed here is kept as it is.</summary>");
        if (restricted)
        {
            w.Line("/// <remarks>Restricted: the org accepts only the listed values.</remarks>");
        }

        w.Line(GeneratedCode);
        w.Line("[global::System.Diagnostics.DebuggerDisplay(\"{Value,nq}\")]");
        w.Open("public readonly partial struct " + typeName + " : " + Rt + "IPicklistValue<" + qualified + ">");
        w.Line("private static readonly string[] __SfValues = { " + string.Join(", ", values.Select(v => Lit(v.Value))) + " };");
        w.Line("private static readonly string[] __SfLabels = { " + string.Join(", ", values.Select(v => Lit(v.Label))) + " };");
        w.Line("private static readonly bool[] __SfActive = { " + string.Join(", ", values.Select(v => Bool(v.Active))) + " };");
        w.Line("private readonly string? _value;");
        w.Line();
        w.Line("private " + typeName + "(string value) => _value = value;");
        w.Line();
        for (var i = 0; i < values.Count; i++)
        {
            var v = values[i];
            w.Line("/// <summary>" + Doc(v.Label) + " (<c>" + Doc(v.Value) + "</c>)" + (v.IsDefault ? ", the default" : string.Empty) + (v.Active ? string.Empty : ", inactive") + ".</summary>");
            w.Line("public static " + qualified + " " + names[i] + " => new(__SfValues[" + Int(i) + "]);");
            w.Line();
        }

        var defaultIndex = -1;
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i].IsDefault)
            {
                defaultIndex = i;
                break;
            }
        }

        w.Block($$"""
            /// <summary>The API value.</summary>
            public string Value => _value ?? string.Empty;

            /// <summary>Whether the value is one the schema listed.</summary>
            public bool IsKnown => __SfIndex(Value) >= 0;

            /// <summary>The label (the value itself when it is not listed).</summary>
            public string Label => __SfIndex(Value) is var i && i >= 0 ? __SfLabels[i] : Value;

            /// <summary>Whether the value is listed and active.</summary>
            public bool IsActive => __SfIndex(Value) is var i && i >= 0 && __SfActive[i];

            /// <summary>Whether the value is the field's default.</summary>
            public bool IsDefault => __SfIndex(Value) == {{Int(defaultIndex)}};

            /// <summary>Whether the org accepts only the listed values.</summary>
            public static bool IsRestricted => {{Bool(restricted)}};

            /// <summary>The listed values, in describe order.</summary>
            public static global::System.Collections.Generic.IReadOnlyList<{{qualified}}> KnownValues { get; } = new {{qualified}}[] { {{string.Join(", ", names)}} };

            /// <summary>The value for an API value (listed or not).</summary>
            public static {{qualified}} FromValue(string value)
            {
                global::System.ArgumentNullException.ThrowIfNull(value);
                var i = __SfIndex(value);
                return new(i >= 0 ? __SfValues[i] : value);
            }

            /// <summary>The listed value whose API value is these UTF-8 bytes, without allocating.</summary>
            public static bool TryFromUtf8(global::System.ReadOnlySpan<byte> value, out {{qualified}} result)
            {
                var i = __SfIndexUtf8(value);
                result = i >= 0 ? new(__SfValues[i]) : default;
                return i >= 0;
            }

            private static int __SfIndex(string value) => value switch
            {
            """);
        for (var i = 0; i < values.Count; i++)
        {
            w.Line("    " + Lit(values[i].Value) + " => " + Int(i) + ",");
        }

        w.Block($$"""
                _ => -1,
            };

            """);
        w.Line("private static int __SfIndexUtf8(global::System.ReadOnlySpan<byte> value)");
        w.Open("{");
        var cases = new List<(string, string)>();
        for (var i = 0; i < values.Count; i++)
        {
            cases.Add((values[i].Value, "return " + Int(i) + ";"));
        }

        EmitByteDispatch(w, "value", cases);
        w.Line("return -1;");
        w.Close();
        w.Block($$"""

            /// <inheritdoc/>
            public bool Equals({{qualified}} other) => string.Equals(Value, other.Value, global::System.StringComparison.Ordinal);

            /// <inheritdoc/>
            public override bool Equals(object? obj) => obj is {{qualified}} other && Equals(other);

            /// <inheritdoc/>
            public override int GetHashCode() => global::System.StringComparer.Ordinal.GetHashCode(Value);

            /// <summary>The API value.</summary>
            public override string ToString() => Value;

            /// <summary>Equality by value.</summary>
            public static bool operator ==({{qualified}} left, {{qualified}} right) => left.Equals(right);

            /// <summary>Inequality by value.</summary>
            public static bool operator !=({{qualified}} left, {{qualified}} right) => !left.Equals(right);

            /// <summary>The value for an API value.</summary>
            public static implicit operator {{qualified}}(string value) => FromValue(value);
            """);

        if (field.ControllerName is not null && controller is not null && controllerType is not null)
        {
            w.Line();
            w.Line("/// <summary>The controlling field, <c>" + controller.ApiName + "</c>.</summary>");
            w.Line("public const string ControllingField = " + Lit(controller.ApiName) + ";");
            w.Line();
            var byController = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (var i = 0; i < values.Count; i++)
            {
                foreach (var c in ControllingValues(values[i], controller))
                {
                    if (!byController.TryGetValue(c, out var list))
                    {
                        byController[c] = list = new List<int>();
                    }

                    list.Add(i);
                }
            }

            var key = controllerType == "bool" ? "(controllingValue ? \"true\" : \"false\")" : "controllingValue.Value";
            w.Line("/// <summary>The values allowed when <c>" + controller.ApiName + "</c> has <paramref name=\"controllingValue\"/> (decoded from the describe's <c>validFor</c>).</summary>");
            w.Line("public static global::System.Collections.Generic.IReadOnlyList<" + qualified + "> ValidFor(" + controllerType + " controllingValue) => " + key + " switch");
            w.Line("{");
            foreach (var pair in byController.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                w.Line("    " + Lit(pair.Key) + " => new " + qualified + "[] { " + string.Join(", ", pair.Value.Select(i => names[i])) + " },");
            }

            w.Line("    _ => global::System.Array.Empty<" + qualified + ">(),");
            w.Line("};");
        }

        w.Close();
    }

    /// <summary>Decodes a dependent value's <c>validFor</c> bitmap into the controlling values it is allowed for.</summary>
    internal static List<string> ControllingValues(PicklistValueSpec value, FieldSpec? controller)
    {
        var result = new List<string>();
        if (controller is null || string.IsNullOrEmpty(value.ValidFor))
        {
            return result;
        }

        byte[] bits;
        try
        {
            bits = Convert.FromBase64String(value.ValidFor);
        }
        catch (FormatException)
        {
            return result;
        }

        var controllingValues = controller.Type == "boolean"
            ? new List<string> { "false", "true" }
            : controller.PicklistValues.Select(p => p.Value).ToList();
        for (var i = 0; i < controllingValues.Count && (i >> 3) < bits.Length; i++)
        {
            if ((bits[i >> 3] & (0x80 >> (i & 7))) != 0)
            {
                result.Add(controllingValues[i]);
            }
        }

        return result;
    }
}
