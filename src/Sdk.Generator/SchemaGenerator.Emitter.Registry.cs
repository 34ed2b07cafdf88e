using System.Linq;
using Sdk.Generator.Model;
using static Sdk.Generator.SourceWriter;

namespace Sdk.Generator;

public sealed partial class SchemaGenerator
{
    /// <summary>Emits the registry: API name → generated type, JSON metadata, registration at module load.</summary>
    internal static (string HintName, string Source)? EmitRegistry(NameTable table, GeneratorOptions options)
    {
        if (table.Types.Count == 0)
        {
            return null;
        }

        var ns = "global::" + options.Namespace + ".";
        var types = table.Types.OrderBy(t => t.ApiName, System.StringComparer.Ordinal).ToList();
        var w = new SourceWriter();
        w.Block(Header());
        w.Open("namespace " + options.Namespace);
        w.Line("/// <summary>The records generated from this project's describe files (" + Int(types.Count) + " objects). Registered at module load, so every client reads and writes them without reflection.</summary>");
        w.Line(GeneratedCode);
        w.Open("public sealed partial class " + options.RegistryName + " : " + Rt + "SObjectRegistry");
        w.Block($$"""
            private static readonly global::System.Lazy<{{Rt}}SObjectMetadata[]> __SfObjects = new(static () => new {{Rt}}SObjectMetadata[]
            {
            """);
        foreach (var t in types)
        {
            w.Line("    " + ns + t.TypeName + ".Metadata,");
        }

        w.Block($$"""
            });

            /// <summary>The registry instance.</summary>
            public static {{ns}}{{options.RegistryName}} Default { get; } = new();

            /// <summary>Registers the records with the runtime when the assembly loads.</summary>
            [global::System.Runtime.CompilerServices.ModuleInitializer]
            internal static void __SfRegister() => {{Rt}}SalesforceTypeRegistry.Register(Default);

            /// <inheritdoc/>
            public override global::System.Collections.Generic.IReadOnlyList<{{Rt}}SObjectMetadata> Objects => __SfObjects.Value;

            /// <inheritdoc/>
            public override global::System.Type? GetRecordType(string sObjectName) => sObjectName switch
            {
            """);
        foreach (var t in types)
        {
            w.Line("    " + Lit(t.ApiName) + " => typeof(" + ns + t.TypeName + "),");
        }

        w.Line("    _ => null,");
        w.Line("};");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line("public override " + Rt + "SObject? CreateRecord(string sObjectName) => sObjectName switch");
        w.Line("{");
        foreach (var t in types)
        {
            w.Line("    " + Lit(t.ApiName) + " => new " + ns + t.TypeName + "(),");
        }

        w.Line("    _ => null,");
        w.Line("};");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Open("public override bool TryRead(string sObjectName, ref global::System.Text.Json.Utf8JsonReader reader, global::System.Text.Json.JsonSerializerOptions options, out " + Rt + "SObject? record)");
        w.Open("switch (sObjectName)");
        foreach (var t in types)
        {
            w.Line("case " + Lit(t.ApiName) + ": record = " + ns + t.TypeName + ".ReadJson(ref reader, options); return true;");
        }

        w.Close();
        w.Line("record = null;");
        w.Line("return false;");
        w.Close();
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Open("protected override global::System.Text.Json.Serialization.Metadata.JsonTypeInfo? CreateTypeInfo(global::System.Type type, global::System.Text.Json.JsonSerializerOptions options)");
        foreach (var t in types)
        {
            w.Line("if (type == typeof(" + ns + t.TypeName + ")) { return CreateTypeInfo<" + ns + t.TypeName + ">(options); }");
        }

        w.Line("return null;");
        w.Close();
        w.Close();
        w.Close();
        return (Bare(options.RegistryName) + ".g.cs", w.ToString());
    }
}
