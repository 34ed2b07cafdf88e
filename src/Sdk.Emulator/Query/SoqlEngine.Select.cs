using System.Globalization;
using Sdk.Emulator.Data;
using Sdk.Emulator.Schema;
using Sdk.Runtime.Soql;

namespace Sdk.Emulator.Query;

internal sealed partial class SoqlEngine
{
    private sealed partial class Run
    {
        /// <summary>A SELECT item as a writer of its cells into a returned record.</summary>
        private Action<StoredRecord, OutRecord> BindColumn(SoqlSelectItem item, ObjectSchema root, string? alias)
        {
            switch (item)
            {
                case SoqlFieldItem { Field: var field }:
                {
                    var path = BindPath(field.Path, root, alias);
                    return (record, output) => Fill(path, record, output);
                }

                case SoqlFunctionItem { Function: var function, Alias: var name } when function.Arguments.Count == 1 && function.Arguments[0] is SoqlField argument
                    && function.Name.ToUpperInvariant() is "TOLABEL" or "FORMAT" or "CONVERTCURRENCY":
                {
                    var path = BindPath(argument.Path, root, alias);
                    var kind = function.Name.ToUpperInvariant();
                    var key = name ?? path.FieldName;
                    var store = Store;
                    return (record, output) =>
                    {
                        var owner = path.Relationships.Length == 0 ? record : path.Owner(store, record, path.Relationships.Length);
                        var value = path.Evaluate(store, record);
                        var field = owner?.Schema.Field(path.FieldName);
                        output.Set(key, kind switch
                        {
                            "TOLABEL" => Label(field, value),
                            "FORMAT" => Format(field, value),
                            _ => value,
                        }, kind == "CONVERTCURRENCY" ? field : null);
                    };
                }

                case SoqlFunctionItem { Function: var function }:
                    throw SoqlErrors.Malformed(soql, $"{function.Name} needs GROUP BY or an aggregate query", function.Name);
                case SoqlSubquery { Query: var sub }:
                    return BindChildren(sub, root);
                case SoqlTypeOf typeOf:
                    return BindTypeOf(typeOf, root, alias);
                default:
                    throw SoqlErrors.Malformed(soql, "unsupported select item");
            }
        }

        /// <summary>Writes a path's value into the record, creating the parent records it passes through (null when a parent is missing).</summary>
        private void Fill(BoundPath path, StoredRecord record, OutRecord output)
        {
            var target = output;
            var current = record;
            foreach (var relationship in path.Relationships)
            {
                var existing = target.Find(relationship);
                if (existing is { Value: null })
                {
                    return;
                }

                var parent = current.Schema.Relationship(relationship) is { } lookup && current[lookup] is string id ? Store.Find(id) : null;
                if (parent is null)
                {
                    target.Set(relationship, null);
                    return;
                }

                if (existing?.Value is OutRecord nested)
                {
                    target = nested;
                }
                else
                {
                    var created = new OutRecord(parent.Schema.Name, parent.Id);
                    target.Set(relationship, created);
                    target = created;
                }

                current = parent;
            }

            if (path.IsType)
            {
                target.Set("Type", current.Schema.Name);
                return;
            }

            var field = current.Schema.Field(path.FieldName);
            target.Set(field?.Name ?? path.FieldName, field is null ? null : field.IsCompound ? WireFormat.Compound(current, field) : current[field], field);
        }

        private Action<StoredRecord, OutRecord> BindChildren(SoqlQuery sub, ObjectSchema root)
        {
            var child = root.Child(sub.From)
                ?? throw SoqlErrors.InvalidField(soql, sub.From, $"Didn't understand relationship '{sub.From}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.");
            var childSchema = Store.Schema.Find(child.ChildObject) ?? throw SoqlErrors.NoSuchObject(soql, child.ChildObject);
            var link = childSchema.Field(child.Field)!;
            var predicate = sub.Where is null ? null : CompileCondition(sub.Where, childSchema, sub.FromAlias);
            var columns = sub.Select.Select(item => item is SoqlSubquery
                ? throw SoqlErrors.Malformed(soql, "Child subqueries can be nested one level deep", sub.From)
                : BindColumn(item, childSchema, sub.FromAlias)).ToList();
            Dictionary<string, List<StoredRecord>>? byParent = null;
            var deleted = includeDeleted;
            var name = child.RelationshipName;
            return (record, output) =>
            {
                if (byParent is null)
                {
                    byParent = new Dictionary<string, List<StoredRecord>>(StringComparer.Ordinal);
                    foreach (var row in Store.TableOf(childSchema).Rows)
                    {
                        if ((!row.IsDeleted || deleted) && row[link] is string parentId)
                        {
                            if (!byParent.TryGetValue(parentId, out var list))
                            {
                                byParent[parentId] = list = [];
                            }

                            list.Add(row);
                        }
                    }
                }

                if (!byParent.TryGetValue(record.Id, out var children))
                {
                    output.Set(name, null);
                    return;
                }

                IEnumerable<StoredRecord> rows = predicate is null ? children : children.Where(predicate);
                rows = Order(rows, sub.OrderBy, childSchema, sub.FromAlias);
                if (sub.Offset is { } offset)
                {
                    rows = rows.Skip(offset);
                }

                if (sub.Limit is { } limit)
                {
                    rows = rows.Take(limit);
                }

                var records = new List<OutRecord>();
                foreach (var row in rows)
                {
                    var nested = new OutRecord(row.Schema.Name, row.Id);
                    foreach (var column in columns)
                    {
                        column(row, nested);
                    }

                    records.Add(nested);
                }

                output.Set(name, records.Count == 0 ? null : new OutChildren(records));
            };
        }

        private Action<StoredRecord, OutRecord> BindTypeOf(SoqlTypeOf typeOf, ObjectSchema root, string? alias)
        {
            var lookup = root.Relationship(typeOf.Field) ?? throw SoqlErrors.NoSuchRelationship(soql, typeOf.Field, typeOf.Field);
            if (!lookup.Polymorphic)
            {
                throw SoqlErrors.Malformed(soql, $"TYPEOF needs a polymorphic relationship; {lookup.RelationshipName} is not", typeOf.Field);
            }

            var whens = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
            foreach (var when in typeOf.Whens)
            {
                if (Store.Schema.Find(when.TypeName) is { } type)
                {
                    foreach (var f in when.Fields)
                    {
                        BindPath(f, type, null);
                    }
                }

                whens[when.TypeName] = [.. when.Fields];
            }

            var otherwise = typeOf.Else.ToArray();
            var relationship = lookup.RelationshipName!;
            return (record, output) =>
            {
                var parent = record[lookup] is string id ? Store.Find(id) : null;
                if (parent is null)
                {
                    output.Set(relationship, null);
                    return;
                }

                var nested = new OutRecord(parent.Schema.Name, parent.Id);
                foreach (var f in whens.GetValueOrDefault(parent.Schema.Name) ?? otherwise)
                {
                    Fill(BindPath(f, parent.Schema, null), parent, nested);
                }

                output.Set(relationship, nested);
            };
        }

        private static string? Label(FieldSchema? field, object? value)
            => value is string s && field is not null
                ? field.Type == "multipicklist"
                    ? string.Join(';', s.Split(';').Select(v => field.PicklistValues.FirstOrDefault(p => p.Value == v)?.Label ?? v))
                    : field.PicklistValues.FirstOrDefault(p => p.Value == s)?.Label ?? s
                : value as string;

        /// <summary>FORMAT in the local org's locale (en_US, GMT).</summary>
        private static string? Format(FieldSchema? field, object? value)
        {
            var culture = CultureInfo.InvariantCulture;
            return value switch
            {
                null => null,
                decimal d when field?.Type == "currency" => "USD " + d.ToString("#,##0.00", culture),
                decimal d when field?.Type == "percent" => d.ToString("0.##", culture) + "%",
                decimal d => d.ToString("#,##0.##", culture),
                DateOnly date => date.ToString("M/d/yyyy", culture),
                DateTimeOffset dt => dt.UtcDateTime.ToString("M/d/yyyy, h:mm tt", culture),
                bool b => b ? "true" : "false",
                _ => Convert.ToString(value, culture),
            };
        }
    }
}
