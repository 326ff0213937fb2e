using CommandCenter.Access;
using CommandCenter.Incidents;
using CommandCenter.Web.Access;
using CommandCenter.Web.Application;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Api;

/// <summary>Photos of incidents, check-ins and report-backs (section <c>CommandCenter:Attachments</c>).</summary>
public sealed class AttachmentOptions
{
    /// <summary>The largest photo accepted, in bytes.</summary>
    public int MaxBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>
    /// The roles that may ask for a photo as it was uploaded (<c>?original=true</c>), with its GPS and device metadata;
    /// unset: <see cref="AccessPolicy.DefaultOriginalPhotoRoles"/>. People's roles only.
    /// </summary>
    public Role[]? OriginalRoles { get; set; }

    /// <summary>The roles in force: <see cref="OriginalRoles"/>, or the policy's default.</summary>
    public IReadOnlyCollection<Role> RolesWithOriginals => OriginalRoles ?? [.. AccessPolicy.DefaultOriginalPhotoRoles];
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

    /// <summary>
    /// A stored photo's download: the copy without metadata (JPEG or PNG), or with <c>?original=true</c> the upload as
    /// it came (JPEG, PNG or HEIC); 400 for another value of <c>original</c>, 403 for a role that may not have the
    /// upload, 404 for a photo the caller may not see.
    /// </summary>
    public static RouteHandlerBuilder ServesPhoto(this RouteHandlerBuilder endpoint) => endpoint
        .Produces<Stream>(StatusCodes.Status200OK, ImageContent.Jpeg, ImageContent.Png, ImageContent.Heic)
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound);

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
            .WithSummary("A photo's bytes without location or device metadata (JPEG or PNG); ?original=true: the upload as it came, for the roles that may.")
            .RequireAccess(AccessAction.ReadIncidents)
            .ServesPhoto();
        return app;
    }

    private static async Task<Results<Created<AttachmentInfo>, ValidationProblem, ProblemHttpResult>> Upload(Guid id, HttpContext http,
        AttachmentService attachments, IOptions<AttachmentOptions> options, CancellationToken cancellationToken) =>
        await attachments.Upload(http.Actor(), id, await UploadedPhoto.Read(http.Request, options.Value.MaxBytes, cancellationToken))
            .Answer(info => TypedResults.Created(info.Url, info));

    private static Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> Download(Guid id, string? original,
        HttpContext http, AttachmentService attachments) =>
        ServePhoto(http, id, original, wanted => attachments.Download(http.Actor(), id, wanted));

    /// <summary>A stored photo's answer: the copy <paramref name="original"/> asks for (<see cref="PhotoCopies.Wanted"/>), from <paramref name="copy"/>.</summary>
    internal static Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> ServePhoto(HttpContext http, Guid id, string? original,
        Func<bool, Task<Outcome<PhotoFile>>> copy)
    {
        var wanted = PhotoCopies.Wanted(original);
        return wanted.Then(copy).Answer(photo => Inert(http.Response, id, photo, wanted.Value));
    }

    /// <summary>
    /// A stored photo's answer: shown as an image and nothing else — never sniffed into another type, never run as a
    /// document, not kept by shared caches; an original, which tells where it was taken, not kept by any cache.
    /// </summary>
    private static FileContentHttpResult Inert(HttpResponse response, Guid id, PhotoFile photo, bool original)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = original ? "private, no-store" : "private, max-age=3600";
        headers.ContentDisposition = $"inline; filename=\"{id}{(original ? "-original" : "")}.{Extension(photo.MediaType)}\"";
        return TypedResults.Bytes(photo.Bytes, photo.MediaType);
    }

    private static string Extension(string mediaType) => mediaType switch
    {
        ImageContent.Jpeg => "jpg",
        ImageContent.Png => "png",
        _ => "heic",
    };
}
