using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Sdk.Generator.Model;

namespace Sdk.Generator;

/// <summary>
/// Naming rules (documented in docs/generator.md):
/// <list type="number">
/// <item>An API name is split at <c>__</c>; a trailing <c>c</c>, <c>r</c>, <c>pc</c>, <c>pr</c> or <c>s</c> part (custom
/// object/field, relationship, person-account field/relationship, compound sub-field) is dropped unless
/// <c>SalesforceSchemaKeepCustomSuffix</c> is true; the remaining parts are joined with <c>_</c>
/// (<c>SBQQ__Quote__c</c> → <c>SBQQ_Quote</c>).</item>
/// <item>Characters that are not letters, digits or <c>_</c> become <c>_</c>; a leading digit gets a <c>_</c> prefix; a C#
/// keyword gets an <c>@</c> prefix.</item>
/// <item>Collisions are resolved in a fixed order (type names by API name; members: standard fields, custom fields, parent
/// relationships, child relationships, each in describe order). The later name gets the dropped suffix back
/// (<c>Friend__r</c> → <c>Friend_r</c>) or else a number (<c>Name2</c>); a member named like its type gets <c>Field</c>
/// (<c>Location.LocationField</c>). Every rename is reported as SFGEN005. The API name is always kept in metadata.</item>
/// </list>
/// </summary>
public sealed partial class SchemaGenerator
{
    private static readonly string[] DroppedSuffixes = { "c", "r", "pc", "pr", "s" };

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock", "long",
        "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected", "public",
        "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string", "struct", "switch",
        "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void",
        "volatile", "while",
    };

    /// <summary>Members of the record base type and the generated statics: a field may not take these names.</summary>
    internal static readonly HashSet<string> ReservedMembers = new(StringComparer.Ordinal)
    {
        "Id", "Attributes", "SObjectType", "AdditionalFields", "GetMetadata", "HasChanges", "ChangedFields", "IsChanged", "IsSet",
        "AcceptChanges", "MarkAllSetFieldsChanged", "GetFieldValue", "WriteChanges", "WriteJson", "TrackedMembers", "MarkAssigned",
        "MarkLoaded", "IsMemberSet", "IsMemberChanged", "AddAdditionalField", "WriteAdditionalFields", "ToString", "Equals",
        "GetHashCode", "GetType", "MemberwiseClone", "Finalize", "SObjectName", "Metadata", "Create", "ReadJson", "Fields",
        "RecordTypes", "CsvMapper", "ReadCsvMember", "ReadCsvMembers", "WriteCsvMembers", "CsvSelected", "CsvParent",
    };

    /// <summary>The name an API name gets before collisions are resolved, and the suffix it dropped.</summary>
    internal static (string Name, string? Dropped) BaseName(string apiName, bool keepCustomSuffix)
    {
        var parts = apiName.Split(new[] { "__" }, StringSplitOptions.None).Where(p => p.Length > 0).ToList();
        string? dropped = null;
        if (!keepCustomSuffix && parts.Count >= 2 && DroppedSuffixes.Contains(parts[parts.Count - 1].ToLowerInvariant()))
        {
            dropped = parts[parts.Count - 1];
            parts.RemoveAt(parts.Count - 1);
        }

        return (Identifier(string.Join("_", parts)), dropped);
    }

    /// <summary>A valid C# identifier for any text (keywords get an <c>@</c>).</summary>
    internal static string Identifier(string text)
    {
        var sb = new StringBuilder(text.Length + 1);
        foreach (var c in text)
        {
            sb.Append(char.IsLetterOrDigit(c) || c == '_' ? c : '_');
        }

        if (sb.Length == 0 || char.IsDigit(sb[0]))
        {
            sb.Insert(0, '_');
        }

        var name = sb.ToString();
        return Keywords.Contains(name) ? "@" + name : name;
    }

    /// <summary>A PascalCase identifier for a picklist value (<c>Prospect - Hot</c> → <c>ProspectHot</c>).</summary>
    internal static string ValueIdentifier(string value)
    {
        var sb = new StringBuilder(value.Length);
        var upper = true;
        foreach (var c in value)
        {
            if (char.IsLetterOrDigit(c) && c < 128)
            {
                sb.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            else
            {
                upper = true;
            }
        }

        if (sb.Length == 0 || char.IsDigit(sb[0]))
        {
            sb.Insert(0, '_');
        }

        var name = sb.ToString();
        return Keywords.Contains(name) ? "@" + name : name;
    }

    /// <summary>The identifier without a verbatim <c>@</c>: the name reflection and metadata see.</summary>
    internal static string Bare(string identifier) => identifier.StartsWith("@", StringComparison.Ordinal) ? identifier.Substring(1) : identifier;

    /// <summary>Builds the table of type names every emitted file agrees on.</summary>
    internal static NameTable BuildNameTable(ImmutableArray<NameFacts> facts, GeneratorOptions options)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var winners = new List<NameFacts>();
        foreach (var group in facts.OrderBy(f => f.Path, StringComparer.Ordinal).GroupBy(f => f.ApiName, StringComparer.OrdinalIgnoreCase))
        {
            var first = group.First();
            winners.Add(first);
            foreach (var loser in group.Skip(1))
            {
                diagnostics.Add(new DiagnosticInfo("SFGEN003", loser.Path, 1, 1, new[] { FileName(loser.Path), loser.ApiName, FileName(first.Path) }.ToEquatableArray()));
            }
        }

        diagnostics.AddRange(UnknownSelections(winners.Select(w => w.ApiName), options));
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { options.RegistryName };
        var types = new List<TypeNameEntry>();
        foreach (var w in winners.OrderBy(w => w.ApiName, StringComparer.Ordinal))
        {
            var (name, dropped) = BaseName(w.ApiName, options.KeepCustomSuffix);
            if (options.TypeNames.FirstOrDefault(o => string.Equals(o.ApiName, w.ApiName, StringComparison.OrdinalIgnoreCase)) is { } chosen)
            {
                (name, dropped) = (chosen.TypeName, null);
            }

            var unique = Unique(name, dropped, used);
            if (Bare(unique) != Bare(name))
            {
                diagnostics.Add(new DiagnosticInfo("SFGEN005", w.Path, 1, 1,
                    new[] { w.ApiName, Bare(unique), Bare(name), "is already the type name of another object (type names must differ ignoring case)" }.ToEquatableArray()));
            }

            types.Add(new TypeNameEntry(w.ApiName, unique, w.Path));
        }

        var picklists = new List<PicklistTypeEntry>();
        foreach (var type in types)
        {
            var facts1 = winners.First(w => string.Equals(w.ApiName, type.ApiName, StringComparison.OrdinalIgnoreCase));
            foreach (var field in facts1.PicklistFields)
            {
                var (member, _) = BaseName(field, options.KeepCustomSuffix);
                var name = Identifier(Bare(type.TypeName) + Bare(member));
                picklists.Add(new PicklistTypeEntry(type.ApiName, field, Unique(name, null, used)));
            }
        }

        return new NameTable(types.ToEquatableArray(), picklists.ToEquatableArray(), diagnostics.ToEquatableArray());
    }

    private static string Unique(string name, string? dropped, HashSet<string> used)
    {
        if (used.Add(Bare(name)))
        {
            return name;
        }

        if (dropped is not null && used.Add(Bare(name) + "_" + dropped))
        {
            return Bare(name) + "_" + dropped;
        }

        for (var i = 2; ; i++)
        {
            var candidate = Bare(name) + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (used.Add(candidate))
            {
                return candidate;
            }
        }
    }

    /// <summary>Assigns member names for one object, reporting every rename.</summary>
    internal static MemberPlan PlanMembers(ObjectSpec spec, NameTable table, GeneratorOptions options, List<DiagnosticInfo> diagnostics)
    {
        var typeName = Bare(table.Find(spec.ApiName)!.TypeName);
        var used = new HashSet<string>(ReservedMembers, StringComparer.Ordinal) { typeName };
        var plan = new MemberPlan();

        string Assign(string apiName, string? relationshipKind, int line, bool isRelationship)
        {
            var (name, dropped) = BaseName(apiName, options.KeepCustomSuffix);
            var bare = Bare(name);
            string? why = null;
            string result;
            if (bare == typeName)
            {
                why = "a member cannot be named like its type";
                result = Unique(name + (isRelationship ? "Relationship" : "Field"), null, used);
            }
            else if (ReservedMembers.Contains(bare))
            {
                why = "the name is taken by the record base type";
                result = Unique(name + (isRelationship ? "Relationship" : "Field"), null, used);
            }
            else if (used.Contains(bare))
            {
                why = "another member already has that name";
                result = Unique(name, dropped, used);
            }
            else
            {
                used.Add(bare);
                result = name;
            }

            if (why is not null)
            {
                diagnostics.Add(new DiagnosticInfo("SFGEN005", spec.Path, line, 1,
                    new[] { spec.ApiName + "." + apiName, Bare(result), bare, why }.ToEquatableArray()));
            }

            return result;
        }

        var index = 0;
        var slots = 0;
        var fields = spec.Fields.Where(f => f.ApiName != "Id").ToList();
        foreach (var field in fields.Where(f => !f.ApiName.Contains("__")).Concat(fields.Where(f => f.ApiName.Contains("__"))))
        {
            plan.Fields.Add(new FieldPlan(field, Assign(field.ApiName, null, field.Line, isRelationship: false), index++, HeldAsValue(field) ? slots++ : -1));
        }

        // Keep describe order for emission (and the index order stays stable for the same describe).
        plan.Fields.Sort((a, b) => spec.Fields.IndexOf(a.Field) - spec.Fields.IndexOf(b.Field));
        for (var i = 0; i < plan.Fields.Count; i++)
        {
            plan.Fields[i] = plan.Fields[i] with { Index = i };
        }

        index = plan.Fields.Count;
        foreach (var field in spec.Fields)
        {
            if (field.Type != "reference" || string.IsNullOrEmpty(field.RelationshipName) || field.ReferenceTo.Count == 0)
            {
                continue;
            }

            var target = field.ReferenceTo.Count == 1 ? table.Find(field.ReferenceTo[0]) : null;
            plan.Parents.Add(new ParentPlan(field, field.RelationshipName!, Assign(field.RelationshipName!, "r", field.Line, isRelationship: true), index++, target?.TypeName));
        }

        foreach (var child in spec.ChildRelationships)
        {
            if (string.IsNullOrEmpty(child.RelationshipName) || table.Find(child.ChildSObject) is not { } childType)
            {
                continue;
            }

            if (plan.Children.Any(c => string.Equals(c.Relationship.RelationshipName, child.RelationshipName, StringComparison.Ordinal)))
            {
                continue;
            }

            plan.Children.Add(new ChildPlan(child, Assign(child.RelationshipName!, "r", 1, isRelationship: true), index++, childType.TypeName));
        }

        return plan;
    }
}

internal sealed class MemberPlan
{
    public List<FieldPlan> Fields { get; } = new();

    public List<ParentPlan> Parents { get; } = new();

    public List<ChildPlan> Children { get; } = new();

    public int Count => Fields.Count + Parents.Count + Children.Count;

    /// <summary>How many fields are held as values with a presence bit (see <see cref="FieldPlan.Slot"/>).</summary>
    public int Slots => Fields.Count(f => f.Slot >= 0);
}

/// <summary>A field's member: <see cref="Slot"/> is its bit among the record's value-type fields (see <c>SObjectValues</c>), or -1.</summary>
internal sealed record FieldPlan(FieldSpec Field, string Name, int Index, int Slot);

internal sealed record ParentPlan(FieldSpec Field, string RelationshipName, string Name, int Index, string? TargetType);

internal sealed record ChildPlan(ChildRelationshipSpec Relationship, string Name, int Index, string ChildType);

internal static class EquatableArrayExtensions
{
    public static int IndexOf<T>(this EquatableArray<T> array, T item)
        where T : IEquatable<T>
    {
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i].Equals(item))
            {
                return i;
            }
        }

        return -1;
    }
}
