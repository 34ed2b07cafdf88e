using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Query.Internal;

/// <summary>
/// An incremental parser of one query page (<c>{"totalSize":…,"done":…,"nextRecordsUrl":…,"records":[…]}</c>, keys in any
/// order). It is fed the response in chunks and deserializes each record as soon as the record's bytes are complete, so the
/// caller can yield records while the page is still arriving.
/// </summary>
internal sealed class QueryPageParser<T>
{
    private enum Phase
    {
        Start,
        Property,
        Value,
        Records,
        Done,
    }

    private enum Known
    {
        Other,
        TotalSize,
        Done,
        NextRecordsUrl,
        Records,
    }

    private readonly JsonTypeInfo<T> _typeInfo;
    private readonly JsonConverter<T>? _direct;
    private JsonReaderState _state;
    private Phase _phase;
    private Known _pending;

    public QueryPageParser(JsonTypeInfo<T> typeInfo)
    {
        _typeInfo = typeInfo;
        // Converters that read a whole value on their own (generated records) are called directly, skipping the serializer's
        // own look-ahead over the value.
        _direct = typeInfo.Converter is IStandaloneConverter and JsonConverter<T> c ? c : null;
    }

    public int? TotalSize { get; private set; }

    public bool? IsDone { get; private set; }

    public string? NextRecordsUrl { get; private set; }

    public int RecordCount { get; private set; }

    public bool Completed => _phase == Phase.Done;

    /// <summary>Parses what it can of <paramref name="data"/>, adding complete records to <paramref name="output"/>.</summary>
    /// <returns>The bytes consumed; the rest must be passed again with more data appended.</returns>
    public int Parse(ReadOnlySpan<byte> data, bool isFinalBlock, List<T>? output)
    {
        var reader = new Utf8JsonReader(data, isFinalBlock, _state);
        while (true)
        {
            switch (_phase)
            {
                case Phase.Start:
                    if (!reader.Read())
                    {
                        return Suspend(ref reader);
                    }

                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        throw new JsonException($"A query page must be a JSON object; it starts with {reader.TokenType}.");
                    }

                    _phase = Phase.Property;
                    break;

                case Phase.Property:
                    if (!reader.Read())
                    {
                        return Suspend(ref reader);
                    }

                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        _phase = Phase.Done;
                        _state = reader.CurrentState;
                        return (int)reader.BytesConsumed;
                    }

                    _pending = reader.ValueTextEquals("records"u8) ? Known.Records
                        : reader.ValueTextEquals("totalSize"u8) ? Known.TotalSize
                        : reader.ValueTextEquals("done"u8) ? Known.Done
                        : reader.ValueTextEquals("nextRecordsUrl"u8) ? Known.NextRecordsUrl
                        : Known.Other;
                    _phase = Phase.Value;
                    break;

                case Phase.Value:
                {
                    var checkpoint = reader;
                    if (!reader.Read())
                    {
                        return Suspend(ref reader);
                    }

                    switch (_pending)
                    {
                        case Known.Records:
                            if (reader.TokenType == JsonTokenType.Null)
                            {
                                _phase = Phase.Property;
                            }
                            else if (reader.TokenType == JsonTokenType.StartArray)
                            {
                                _phase = Phase.Records;
                            }
                            else
                            {
                                throw new JsonException($"'records' must be an array; it is {reader.TokenType}.");
                            }

                            continue;
                        case Known.TotalSize:
                            TotalSize = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var total) ? total
                                : throw new JsonException($"'totalSize' must be a number; it is {reader.TokenType}.");
                            break;
                        case Known.Done:
                            IsDone = reader.TokenType switch
                            {
                                JsonTokenType.True => true,
                                JsonTokenType.False => false,
                                _ => throw new JsonException($"'done' must be true or false; it is {reader.TokenType}."),
                            };
                            break;
                        case Known.NextRecordsUrl:
                            NextRecordsUrl = reader.TokenType switch
                            {
                                JsonTokenType.String => reader.GetString(),
                                JsonTokenType.Null => null,
                                _ => throw new JsonException($"'nextRecordsUrl' must be a string; it is {reader.TokenType}."),
                            };
                            break;
                        default:
                            if (!reader.TrySkip())
                            {
                                return Suspend(ref checkpoint);
                            }

                            break;
                    }

                    _phase = Phase.Property;
                    break;
                }

                case Phase.Records:
                {
                    var checkpoint = reader;
                    if (!reader.Read())
                    {
                        return Suspend(ref reader);
                    }

                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        _phase = Phase.Property;
                        break;
                    }

                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        throw new JsonException($"Each record must be a JSON object; record {RecordCount + 1} is {reader.TokenType}.");
                    }

                    // Read the record at once; a record cut by the end of the buffer fails, and only then is its extent checked:
                    // one failure per buffer refill instead of a look-ahead over every record.
                    var start = (int)reader.TokenStartIndex;
                    T? record;
                    try
                    {
                        record = _direct is { } direct
                            ? direct.Read(ref reader, typeof(T), _typeInfo.Options)
                            : JsonSerializer.Deserialize(ref reader, _typeInfo);
                    }
                    catch (JsonException) when (!isFinalBlock && !JsonExtent.IsComplete(data[start..]))
                    {
                        return Suspend(ref checkpoint);
                    }

                    RecordCount++;
                    output?.Add(record!);
                    break;
                }

                case Phase.Done:
                    return (int)reader.BytesConsumed;
            }
        }
    }

    private int Suspend(ref Utf8JsonReader reader)
    {
        _state = reader.CurrentState;
        return (int)reader.BytesConsumed;
    }
}
