using CommandCenter.Access;
using CommandCenter.Incidents;

namespace CommandCenter.Web.Application;

/// <summary>A stored photo and where to fetch its bytes.</summary>
public sealed record AttachmentInfo(Guid Id, Guid IncidentId, string MediaType, int Size, string Sha256, string UploadedBy,
    DateTimeOffset UploadedAt, string Url);

/// <summary>
/// A photo sent as the raw body (of an incident, of a check-in): its bytes, or null when it was larger than
/// <see cref="MaxBytes"/> (the rest was not read).
/// </summary>
public sealed record UploadedPhoto(byte[]? Bytes, int MaxBytes)
{
    public static async Task<UploadedPhoto> Read(HttpRequest request, int maxBytes, CancellationToken cancellationToken) =>
        new(await Api.RequestBody.ReadAtMost(request, maxBytes, cancellationToken), maxBytes);

    /// <summary>The photo's media type, decided by its bytes alone; refused when too large, empty or not a JPEG, PNG or HEIC image.</summary>
    public Outcome<string> MediaType() =>
        Bytes is null ? Refusal.TooLarge("body", $"A photo may have at most {MaxBytes} bytes.")
        : Bytes.Length == 0 ? Refusal.Invalid("body", "Send the photo as the request body.")
        : ImageContent.Detect(Bytes) is { } mediaType ? mediaType
        : Refusal.UnsupportedMediaType("body", "Not an image this accepts: send a JPEG, PNG or HEIC photo.");
}

/// <summary>
/// Photos of incidents (现场照片): accepted only when the bytes are a JPEG, PNG or HEIC image, and served only to
/// callers within whose jurisdiction the incident lies.
/// </summary>
public sealed class AttachmentService(IncidentService incidents, IGrainFactory grains, AttachmentStore store, AuditLog audit)
{
    /// <summary>Stores a photo of an incident the caller may report on, and puts it on the incident's timeline.</summary>
    public async Task<Outcome<AttachmentInfo>> Upload(Actor actor, Guid id, UploadedPhoto photo)
    {
        var caller = actor.Caller;
        if (await incidents.Visible(caller, id, AccessAction.ReportIncidents) is null)
            return Refusal.NotFound($"No incident {id}.");
        if (photo.MediaType().Refusal is { } refusal)
            return refusal;

        var attachment = await store.Save(id, photo.Bytes!, caller.Id);
        // On the timeline too, where workflow actions (handling, closing on the spot) may then name it as evidence.
        await grains.GetGrain<IIncidentGrain>(id).Attach(attachment.Id, attachment.MediaType, caller.Id, caller.Role.ToString());
        await audit.Append(caller, AuditActions.AttachToIncident, id.ToString(),
            detail: $"{attachment.MediaType} · {attachment.Size} bytes", clientAddress: actor.ClientAddress);
        return Info(attachment);
    }

    /// <summary>The incident's photos, oldest first, without their bytes.</summary>
    public async Task<Outcome<IReadOnlyList<AttachmentInfo>>> List(Caller caller, Guid id)
    {
        if (await incidents.Visible(caller, id) is null)
            return Refusal.NotFound($"No incident {id}.");
        return (await store.List(id)).Select(Info).ToList();
    }

    /// <remarks>A photo of an incident outside the caller's jurisdiction is "not found", like the incident itself.</remarks>
    public async Task<Outcome<AttachmentContent>> Download(Caller caller, Guid id) =>
        await store.Get(id) is { } stored && await incidents.Visible(caller, stored.Attachment.IncidentId) is not null
            ? stored
            : Refusal.NotFound($"No attachment {id}.");

    private static AttachmentInfo Info(Attachment a) =>
        new(a.Id, a.IncidentId, a.MediaType, a.Size, a.Sha256, a.UploadedBy, a.UploadedAt, $"/api/attachments/{a.Id}");
}
