using CommandCenter.Access;
using CommandCenter.Incidents;
using CommandCenter.Jurisdictions;
using CommandCenter.Web.Access;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Api;

/// <summary>Upload limits of incident photos (section <c>CommandCenter:Attachments</c>).</summary>
public sealed class AttachmentOptions
{
    /// <summary>The largest photo accepted, in bytes.</summary>
    public int MaxBytes { get; set; } = 10 * 1024 * 1024;
}

/// <summary>
/// Photos of incidents (现场照片): uploaded as the raw body, accepted only when the bytes are a JPEG, PNG or HEIC
/// image, and served only to callers within whose jurisdiction the incident lies.
/// </summary>
public static class AttachmentsApi
{
    /// <summary>A stored photo and where to fetch its bytes.</summary>
    public sealed record AttachmentInfo(Guid Id, Guid IncidentId, string MediaType, int Size, string Sha256, string UploadedBy,
        DateTimeOffset UploadedAt, string Url);

    public static IEndpointRouteBuilder MapAttachmentsApi(this IEndpointRouteBuilder app)
    {
        var maxBytes = app.ServiceProvider.GetRequiredService<IOptions<AttachmentOptions>>().Value.MaxBytes;
        var incidents = app.MapGroup("/api/incidents").WithTags("Attachments");
        incidents.MapPost("/{id:guid}/attachments", Upload)
            .WithName("AttachToIncident")
            .WithSummary("Attach a photo: the raw body is the image, JPEG, PNG or HEIC as its bytes show (the Content-Type header and any name are ignored).")
            .RequireAccess(AccessAction.ReportIncidents)
            .Accepts<Stream>("*/*")
            .Produces<AttachmentInfo>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesValidationProblem(StatusCodes.Status415UnsupportedMediaType)
            // Above the host's 1 MB for this endpoint only, and twice the limit: a body just too large is read far enough
            // to get its 413 (and a refused caller its 401 or 403) rather than a cut connection.
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(2L * maxBytes))
            .DisableAntiforgery();
        incidents.MapGet("/{id:guid}/attachments", List)
            .WithName("ListIncidentAttachments")
            .WithSummary("The incident's photos, oldest first, without their bytes.")
            .RequireAccess(AccessAction.ReadIncidents)
            .Produces<IReadOnlyList<AttachmentInfo>>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/api/attachments/{id:guid}", Download)
            .WithTags("Attachments")
            .WithName("GetAttachment")
            .WithSummary("A photo's bytes, with the media type found at upload.")
            .RequireAccess(AccessAction.ReadIncidents)
            .Produces<Stream>(StatusCodes.Status200OK, ImageContent.Jpeg, ImageContent.Png, ImageContent.Heic)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> Upload(Guid id, HttpContext http, JurisdictionDirectory directory, IGrainFactory grains,
        AttachmentStore store, AuditLog audit, IOptions<AttachmentOptions> options, CancellationToken cancellationToken)
    {
        if (await IncidentsApi.Visible(id, http, directory, grains, AccessAction.ReportIncidents) is null)
            return Problems.NotFound($"No incident {id}.");

        var max = options.Value.MaxBytes;
        var bytes = await RequestBody.ReadAtMost(http.Request, max, cancellationToken);
        if (bytes is null)
            return Problems.TooLarge("body", $"A photo may have at most {max} bytes.");
        if (bytes.Length == 0)
            return Problems.Validation("body", "Send the photo as the request body.");
        if (ImageContent.Detect(bytes) is null)
            return Problems.UnsupportedMediaType("body", "Not an image this accepts: send a JPEG, PNG or HEIC photo.");

        var caller = http.Caller()!;
        var attachment = await store.Save(id, bytes, caller.Id);
        // On the timeline too, where workflow actions (handling, closing on the spot) may then name it as evidence.
        await grains.GetGrain<IIncidentGrain>(id).Attach(attachment.Id, attachment.MediaType, caller.Id, caller.Role.ToString());
        await audit.Append(caller, AuditActions.AttachToIncident, id.ToString(),
            detail: $"{attachment.MediaType} · {attachment.Size} bytes", clientAddress: http.ClientAddress());
        var info = Info(attachment);
        return TypedResults.Created(info.Url, info);
    }

    private static async Task<IResult> List(Guid id, HttpContext http, JurisdictionDirectory directory, IGrainFactory grains, AttachmentStore store)
    {
        if (await IncidentsApi.Visible(id, http, directory, grains) is null)
            return Problems.NotFound($"No incident {id}.");
        return TypedResults.Ok((await store.List(id)).Select(Info));
    }

    /// <remarks>A photo of an incident outside the caller's jurisdiction is "not found", like the incident itself.</remarks>
    private static async Task<IResult> Download(Guid id, HttpContext http, JurisdictionDirectory directory, IGrainFactory grains, AttachmentStore store)
    {
        if (await store.Get(id) is not { } stored || await IncidentsApi.Visible(stored.Attachment.IncidentId, http, directory, grains) is null)
            return Problems.NotFound($"No attachment {id}.");
        var attachment = stored.Attachment;
        // Shown as an image and nothing else: never sniffed into another type, never run as a document, not kept by shared caches.
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "private, max-age=3600";
        headers.ContentDisposition = $"inline; filename=\"{attachment.Id}.{Extension(attachment.MediaType)}\"";
        return TypedResults.Bytes(stored.Bytes, attachment.MediaType);
    }

    private static AttachmentInfo Info(Attachment a) =>
        new(a.Id, a.IncidentId, a.MediaType, a.Size, a.Sha256, a.UploadedBy, a.UploadedAt, $"/api/attachments/{a.Id}");

    private static string Extension(string mediaType) => mediaType switch
    {
        ImageContent.Jpeg => "jpg",
        ImageContent.Png => "png",
        _ => "heic",
    };
}
