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
        => JsonAsync(context, error.Status, writer =>
        {
            writer.WriteStartArray();
            foreach (var e in error.Errors)
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
        });

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
