using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Sdk.Benchmarks;

/// <summary>An in-process Kestrel endpoint on 127.0.0.1 that answers like Salesforce's record GET.</summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<LoopbackServer> StartAsync(byte[] recordBody, byte[]? page = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/services/data/{version}/sobjects/{type}/{id}", async (HttpContext ctx) =>
        {
            ctx.Response.ContentType = "application/json;charset=UTF-8";
            ctx.Response.Headers["Sforce-Limit-Info"] = "api-usage=1/5000";
            await ctx.Response.Body.WriteAsync(recordBody);
        });
        if (page is not null)
        {
            app.MapGet("/page", async (HttpContext ctx) =>
            {
                ctx.Response.ContentType = "application/json;charset=UTF-8";
                await ctx.Response.Body.WriteAsync(page);
            });
        }

        await app.StartAsync();
        var address = app.Urls.First();
        return new LoopbackServer(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
