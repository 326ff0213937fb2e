using CommandCenter.Access;
using CommandCenter.Incidents;
using CommandCenter.Web.Access;
using CommandCenter.Web.Application;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Api;

/// <summary>Upload limits of incident photos (section <c>CommandCenter:Attachments</c>).</summary>
public sealed class AttachmentOptions
{
    /// <summary>The largest photo accepted, in bytes.</summary>
    public int MaxBytes { get; set; } = 10 * 1024 * 1024;
}

/// <summary>Photos of incidents (现场照片) over HTTP: uploaded as the raw body, served inert.</summary>
public static class AttachmentsApi
{
    /// <summary>
    /// A photo upload: the raw body, 404 for what it is of, 413 over <paramref name="maxBytes"/>, 415 for what is no
    /// image. The request limit is above the host's 1 MB for this endpoint only, and twice the limit: a body just too
    /// large is read far enough to get its 413 (and a refused caller its 401 or 403) rather than a cut connection.
    /// </summary>
    public static RouteHandlerBuilder AcceptsPhoto(this RouteHandlerBuilder endpoint, long maxBytes) => endpoint
        .Accepts<Stream>("*/*")
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(2L * maxBytes));

    public static IEndpointRouteBuilder MapAttachmentsApi(this IEndpointRouteBuilder app)
    {
        var maxBytes = app.ServiceProvider.GetRequiredService<IOptions<AttachmentOptions>>().Value.MaxBytes;
        var incidents = app.MapApiGroup("/api/incidents", "Attachments");
        incidents.MapPost("/{id:guid}/attachments", Upload)
            .WithName("AttachToIncident")
            .WithSummary("Attach a photo: the raw body is the image, JPEG, PNG or HEIC as its bytes show (the Content-Type header and any name are ignored).")
            .RequireAccess(AccessAction.ReportIncidents)
            .AcceptsPhoto(maxBytes);
        incidents.MapGet("/{id:guid}/attachments", (Guid id, HttpContext http, AttachmentService attachments) =>
                attachments.List(http.Actor().Caller, id).Answer(TypedResults.Ok))
            .WithName("ListIncidentAttachments")
            .WithSummary("The incident's photos, oldest first, without their bytes.")
            .RequireAccess(AccessAction.ReadIncidents)
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapApiGroup("/api/attachments", "Attachments").MapGet("/{id:guid}", Download)
            .WithName("GetAttachment")
            .WithSummary("A photo's bytes, with the media type found at upload.")
            .RequireAccess(AccessAction.ReadIncidents)
            .Produces<Stream>(StatusCodes.Status200OK, ImageContent.Jpeg, ImageContent.Png, ImageContent.Heic)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Created<AttachmentInfo>, ValidationProblem, ProblemHttpResult>> Upload(Guid id, HttpContext http,
        AttachmentService attachments, IOptions<AttachmentOptions> options, CancellationToken cancellationToken) =>
        await attachments.Upload(http.Actor(), id, await UploadedPhoto.Read(http.Request, options.Value.MaxBytes, cancellationToken))
            .Answer(info => TypedResults.Created(info.Url, info));

    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> Download(Guid id, HttpContext http,
        AttachmentService attachments) =>
        await attachments.Download(http.Actor().Caller, id).Answer(stored =>
        {
            Inert(http.Response, stored.Attachment.Id, stored.Attachment.MediaType);
            return TypedResults.Bytes(stored.Bytes, stored.Attachment.MediaType);
        });

    /// <summary>
    /// The headers of a stored photo's answer: shown as an image and nothing else — never sniffed into another type,
    /// never run as a document, not kept by shared caches.
    /// </summary>
    internal static void Inert(HttpResponse response, Guid id, string mediaType)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "private, max-age=3600";
        headers.ContentDisposition = $"inline; filename=\"{id}.{Extension(mediaType)}\"";
    }

    private static string Extension(string mediaType) => mediaType switch
    {
        ImageContent.Jpeg => "jpg",
        ImageContent.Png => "png",
        _ => "heic",
    };
}
