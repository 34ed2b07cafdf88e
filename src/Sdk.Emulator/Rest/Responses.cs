using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Sdk.Emulator.Rest;

/// <summary>Writes JSON responses straight to the response body.</summary>
internal static class Responses
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task JsonAsync(HttpContext context, HttpStatusCode status, Action<Utf8JsonWriter> write)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json;charset=UTF-8";
        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, WriterOptions))
        {
            write(writer);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    public static Task ErrorAsync(HttpContext context, ApiException error)
        => context.Request.Path.StartsWithSegments("/services/async", StringComparison.OrdinalIgnoreCase)
            ? BulkV1Endpoints.ErrorAsync(context, error)
            : JsonAsync(context, error.Status, writer => WriteErrors(writer, error.Errors));

    /// <summary>Salesforce's error body: <c>[{"message":…,"errorCode":…,"fields":[…]}]</c>.</summary>
    public static void WriteErrors(Utf8JsonWriter writer, IEnumerable<ApiError> errors)
    {
        writer.WriteStartArray();
        foreach (var e in errors)
        {
            writer.WriteStartObject();
            writer.WriteString("message"u8, e.Message);
            writer.WriteString("errorCode"u8, e.ErrorCode);
            if (e.Fields is not null)
            {
                writer.WriteStartArray("fields"u8);
                foreach (var field in e.Fields)
                {
                    writer.WriteStringValue(field);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>The error body as a JSON value (a composite subrequest's body).</summary>
    public static JsonElement ErrorElement(IEnumerable<ApiError> errors)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteErrors(writer, errors);
        }

        return JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone();
    }

    /// <summary>The <c>errors</c> of a save result (collections, tree): <c>[{"statusCode":…,"message":…,"fields":[…]}]</c>.</summary>
    public static void WriteSaveErrors(Utf8JsonWriter writer, IEnumerable<ApiError> errors)
    {
        writer.WriteStartArray("errors"u8);
        foreach (var error in errors)
        {
            writer.WriteStartObject();
            writer.WriteString("statusCode"u8, error.ErrorCode);
            writer.WriteString("message"u8, error.Message);
            writer.WriteStartArray("fields"u8);
            foreach (var field in error.Fields ?? [])
            {
                writer.WriteStringValue(field);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>A save result: <c>{"id":…,"success":true,"errors":[]}</c>, with <c>created</c> for upserts.</summary>
    public static Task SaveResultAsync(HttpContext context, HttpStatusCode status, string id, bool? created = null)
        => JsonAsync(context, status, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("id"u8, id);
            writer.WriteBoolean("success"u8, true);
            writer.WriteStartArray("errors"u8);
            writer.WriteEndArray();
            if (created is { } c)
            {
                writer.WriteBoolean("created"u8, c);
            }

            writer.WriteEndObject();
        });

    public static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        return buffer.ToArray();
    }
}
