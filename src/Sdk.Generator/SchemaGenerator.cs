using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Sdk.Generator.Model;

namespace Sdk.Generator;

/// <summary>
/// Turns sObject describe files (AdditionalFiles ending in <c>.json</c>) into typed records, their metadata, JSON
/// reading and writing, and a registry. One pipeline per file: editing C# code never re-reads JSON, and editing one describe
/// file regenerates only that object (and the registry when names change).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class SchemaGenerator : IIncrementalGenerator
{
    /// <summary>sf-describe's manifest (<c>sf-describe.json</c>) lies beside the describe files and is not one.</summary>
    private static bool IsManifest(string path)
        => string.Equals(System.IO.Path.GetFileName(path), "sf-describe.json", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var options = context.AnalyzerConfigOptionsProvider
            .Select(static (provider, _) => ReadOptions(provider.GlobalOptions))
            .WithTrackingName(TrackingNames.Options);

        var files = context.AdditionalTextsProvider
            .Where(static text => text.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && !IsManifest(text.Path))
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Where(static pair => !IsExcluded(pair.Right.GetOptions(pair.Left)))
            .Select(static (pair, ct) => new SchemaFile(pair.Left.Path, pair.Left.GetText(ct)?.ToString()))
            .WithTrackingName(TrackingNames.Files);

        var parsed = files.Select(static (file, ct) => Parse(file, ct)).WithTrackingName(TrackingNames.Parse);
        context.RegisterSourceOutput(parsed.Select(static (r, _) => r.Diagnostics), static (spc, diagnostics) => Report(spc, diagnostics));

        var selected = parsed
            .Where(static r => r.Object is not null)
            .Select(static (r, _) => r.Object!)
            .WithTrackingName(TrackingNames.Objects)
            .Combine(options)
            .Select(static (pair, _) => SelectFields(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.SelectedObjects);
        context.RegisterSourceOutput(selected.Select(static (s, _) => s.Diagnostics), static (spc, diagnostics) => Report(spc, diagnostics));
        var objects = selected.Select(static (s, _) => s.Object);

        var nameTable = objects
            .Select(static (o, _) => new NameFacts(o.Path, o.ApiName, o.Fields.Where(IsPicklist).Select(f => f.ApiName).ToEquatableArray()))
            .WithTrackingName(TrackingNames.NameFacts)
            .Collect()
            .Combine(options)
            .Select(static (pair, _) => BuildNameTable(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.NameTable);
        context.RegisterSourceOutput(nameTable.Combine(options), static (spc, pair) =>
        {
            Report(spc, pair.Left.Diagnostics);
            Report(spc, pair.Right.Diagnostics);
        });

        var sources = objects
            .Combine(nameTable)
            .Combine(options)
            .Select(static (input, _) =>
            {
                var ((spec, table), opts) = input;
                if (table.Find(spec.ApiName) is not { } entry || entry.WinningPath != spec.Path)
                {
                    return null;
                }

                var diagnostics = new List<DiagnosticInfo>();
                try
                {
                    var (hint, source) = EmitObject(spec, table, opts, diagnostics);
                    return new GeneratedSource(hint, source, diagnostics.ToEquatableArray());
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A defect here must not take the other objects down with it.
                    return new GeneratedSource(string.Empty, string.Empty,
                        new[] { new DiagnosticInfo("SFGEN009", spec.Path, 1, 1, new[] { spec.ApiName, ex.GetType().Name + ": " + ex.Message }.ToEquatableArray()) }.ToEquatableArray());
                }
            })
            .WithTrackingName(TrackingNames.ObjectSources);
        context.RegisterSourceOutput(sources, static (spc, generated) =>
        {
            if (generated is null)
            {
                return;
            }

            if (generated.HintName.Length > 0)
            {
                spc.AddSource(generated.HintName, SourceText.From(generated.Source, System.Text.Encoding.UTF8));
            }

            Report(spc, generated.Diagnostics);
        });

        var registry = nameTable
            .Combine(options)
            .Select(static (pair, _) => EmitRegistry(pair.Left, pair.Right) is { } r ? new GeneratedSource(r.HintName, r.Source, EquatableArray<DiagnosticInfo>.Empty) : null)
            .WithTrackingName(TrackingNames.RegistryEntries);
        context.RegisterSourceOutput(registry, static (spc, generated) =>
        {
            if (generated is not null)
            {
                spc.AddSource(generated.HintName, SourceText.From(generated.Source, System.Text.Encoding.UTF8));
            }
        });
    }

    private static bool IsExcluded(AnalyzerConfigOptions fileOptions)
        => fileOptions.TryGetValue("build_metadata.AdditionalFiles.SalesforceSchema", out var flag)
            && string.Equals(flag, "false", StringComparison.OrdinalIgnoreCase);

    internal static GeneratorOptions ReadOptions(AnalyzerConfigOptions global)
    {
        var diagnostics = new List<DiagnosticInfo>();
        global.TryGetValue("build_property.RootNamespace", out var root);
        var fallback = string.IsNullOrWhiteSpace(root) ? "Salesforce" : root + ".Salesforce";
        if (!IsNamespace(fallback))
        {
            fallback = "Salesforce";
        }

        var ns = fallback;
        if (global.TryGetValue("build_property.SalesforceSchemaNamespace", out var configured) && !string.IsNullOrWhiteSpace(configured))
        {
            if (IsNamespace(configured.Trim()))
            {
                ns = configured.Trim();
            }
            else
            {
                diagnostics.Add(InvalidOption("SalesforceSchemaNamespace", configured, "a namespace", fallback));
            }
        }

        var registry = "SalesforceSchema";
        if (global.TryGetValue("build_property.SalesforceSchemaRegistryName", out var registryName) && !string.IsNullOrWhiteSpace(registryName))
        {
            if (IsNamespace(registryName.Trim()) && !registryName.Contains("."))
            {
                registry = registryName.Trim();
            }
            else
            {
                diagnostics.Add(InvalidOption("SalesforceSchemaRegistryName", registryName, "a type name", registry));
            }
        }

        var keep = global.TryGetValue("build_property.SalesforceSchemaKeepCustomSuffix", out var keepText)
            && string.Equals(keepText?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        var overrides = new List<TypeNameOverride>();
        if (global.TryGetValue("build_property.SalesforceSchemaTypeNames", out var typeNames) && !string.IsNullOrWhiteSpace(typeNames))
        {
            foreach (var pair in typeNames.Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = pair.Split('=');
                if (parts.Length == 2 && IsApiName(parts[0].Trim()) && IsNamespace(parts[1].Trim()) && !parts[1].Contains("."))
                {
                    overrides.Add(new TypeNameOverride(parts[0].Trim(), parts[1].Trim()));
                }
                else
                {
                    diagnostics.Add(InvalidOption("SalesforceSchemaTypeNames", pair.Trim(), "of the form ApiName=TypeName", "the generated name"));
                }
            }
        }

        var selections = global.TryGetValue("build_property." + FieldsProperty, out var fieldsText) && !string.IsNullOrWhiteSpace(fieldsText)
            ? ReadFieldSelections(fieldsText, diagnostics)
            : new List<FieldSelection>();
        return new GeneratorOptions(ns, registry, keep, diagnostics.ToEquatableArray())
        {
            TypeNames = overrides.ToEquatableArray(),
            FieldSelections = selections.ToEquatableArray(),
        };
    }

    /// <summary>SFGEN007: an MSBuild property's value (or one entry of it) is not <paramref name="expected"/>; <paramref name="instead"/> is used.</summary>
    private static DiagnosticInfo InvalidOption(string property, string value, string expected, string instead)
        => new("SFGEN007", string.Empty, 0, 0, new[] { property, value, expected, instead }.ToEquatableArray());

    private static bool IsNamespace(string text)
        => text.Split('.').All(part => part.Length > 0 && Identifier(part) == part && !part.StartsWith("@", StringComparison.Ordinal));

    private static void Report(SourceProductionContext context, EquatableArray<DiagnosticInfo> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            if (DiagnosticDescriptors.Find(d.Id) is not { } descriptor)
            {
                continue;
            }

            var location = string.IsNullOrEmpty(d.Path)
                ? Location.None
                : Location.Create(d.Path, new TextSpan(0, 0), new LinePositionSpan(new LinePosition(Math.Max(0, d.Line - 1), Math.Max(0, d.Column - 1)), new LinePosition(Math.Max(0, d.Line - 1), Math.Max(0, d.Column - 1))));
            context.ReportDiagnostic(Diagnostic.Create(descriptor, location, d.Arguments.Cast<object>().ToArray()));
        }
    }
}

/// <summary>One generated file and the problems found making it.</summary>
internal sealed record GeneratedSource(string HintName, string Source, EquatableArray<DiagnosticInfo> Diagnostics);
