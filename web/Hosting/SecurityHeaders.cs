namespace CommandCenter.Web.Hosting;

/// <summary>
/// Security headers on every answer: a Content-Security-Policy without inline scripts or styles (the pages and the
/// wall load only their own files), no framing, no MIME sniffing, no referrer, camera, microphone and location for this
/// origin only (the video conference and roll call, the phones). The API reference page (/scalar) runs an
/// inline bootstrap script of its own and gets a policy that allows exactly that.
/// </summary>
public static class SecurityHeaders
{
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        var tiles = TileSource(app.Configuration["CommandCenter:Wall:TileUrl"]);
        var pages = string.Join("; ",
            "default-src 'self'", "script-src 'self'", "style-src 'self'", $"img-src 'self' data: blob:{tiles}",
            "connect-src 'self'", "font-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'");
        var reference = string.Join("; ",
            "default-src 'self'", "script-src 'self' 'unsafe-inline'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
            "font-src 'self' data:", "connect-src 'self'", "object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'");
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/scalar") ? reference : pages;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = "camera=(self), microphone=(self), geolocation=(self)";
            return next(context);
        });
        return app;
    }

    /// <summary>" https://*.tile.example.org" for a tile URL template such as https://{s}.tile.example.org/{z}/{x}/{y}.png.</summary>
    internal static string TileSource(string? template)
    {
        var scheme = template?.IndexOf("://", StringComparison.Ordinal) ?? -1;
        if (scheme < 0)
            return "";
        var end = template!.IndexOf('/', scheme + 3);
        var origin = (end < 0 ? template : template[..end]).Replace("{s}", "*");
        return origin.Any(c => char.IsWhiteSpace(c) || c is ';' or ',' or '\'') ? "" : " " + origin;
    }
}
