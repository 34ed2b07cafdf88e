namespace Sdk.Generator.Model;

/// <summary>A candidate describe file: its path and text, read once.</summary>
internal sealed record SchemaFile(string Path, string? Text);

/// <summary>A problem to report, without a Roslyn <c>Location</c> (rebuilt at report time from the path and positions).</summary>
internal sealed record DiagnosticInfo(string Id, string Path, int Line, int Column, EquatableArray<string> Arguments);

/// <summary>The result of parsing one file: the object (when the file is a usable describe) and the problems found.</summary>
internal sealed record ParseResult(ObjectSpec? Object, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>The generator's options, from MSBuild properties.</summary>
internal sealed record GeneratorOptions(string Namespace, string RegistryName, bool KeepCustomSuffix, EquatableArray<DiagnosticInfo> Diagnostics)
{
    /// <summary>Type names chosen by the user for some objects (<c>Task=SfTask;Event=SfEvent</c>).</summary>
    public EquatableArray<TypeNameOverride> TypeNames { get; init; } = EquatableArray<TypeNameOverride>.Empty;

    /// <summary>The fields and relationships chosen for some objects (<c>Account=Name,Type;Contact=LastName</c>); others get all.</summary>
    public EquatableArray<FieldSelection> FieldSelections { get; init; } = EquatableArray<FieldSelection>.Empty;
}

/// <summary>The only fields and relationships (by API or relationship name) to generate for one object.</summary>
internal sealed record FieldSelection(string ApiName, EquatableArray<string> Names);

/// <summary>One object after its field selection, and the selection's problems (names the describe does not have).</summary>
internal sealed record SelectedObject(ObjectSpec Object, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>A user-chosen type name for one object.</summary>
internal sealed record TypeNameOverride(string ApiName, string TypeName);

/// <summary>
/// The names every emitted file needs to agree on: each object's C# type name, the picklist type names, and which file wins
/// when two describe the same object. Built only from object names and picklist field names, so it changes only when those do.
/// </summary>
internal sealed record NameTable(
    EquatableArray<TypeNameEntry> Types,
    EquatableArray<PicklistTypeEntry> Picklists,
    EquatableArray<DiagnosticInfo> Diagnostics)
{
    private System.Collections.Generic.Dictionary<string, TypeNameEntry>? _byApi;
    private System.Collections.Generic.Dictionary<string, string>? _picklists;

    public TypeNameEntry? Find(string apiName)
    {
        _byApi ??= System.Linq.Enumerable.ToDictionary(Types, t => t.ApiName, System.StringComparer.OrdinalIgnoreCase);
        return _byApi.TryGetValue(apiName, out var e) ? e : null;
    }

    public string? PicklistType(string objectApiName, string fieldApiName)
    {
        _picklists ??= System.Linq.Enumerable.ToDictionary(Picklists, p => p.ObjectApiName + "." + p.FieldApiName, p => p.TypeName, System.StringComparer.Ordinal);
        return _picklists.TryGetValue(objectApiName + "." + fieldApiName, out var t) ? t : null;
    }
}

/// <summary>One object's type name and the file that describes it.</summary>
internal sealed record TypeNameEntry(string ApiName, string TypeName, string WinningPath);

/// <summary>One picklist field's value type name.</summary>
internal sealed record PicklistTypeEntry(string ObjectApiName, string FieldApiName, string TypeName);

/// <summary>What the name table needs from one file.</summary>
internal sealed record NameFacts(string Path, string ApiName, EquatableArray<string> PicklistFields);

/// <summary>What the registry needs from one object.</summary>
internal sealed record RegistryEntry(string ApiName, string Path);
