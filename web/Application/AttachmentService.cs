using CommandCenter.Access;
using CommandCenter.Incidents;
using CommandCenter.Web.Api;
using Microsoft.Extensions.Options;

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

    /// <summary>
    /// The photo decoded and encoded again (<see cref="PhotoImage"/>); refused when too large, empty, or not a JPEG, PNG
    /// or HEIC image by its bytes, or one that does not decode as the image its bytes claim.
    /// </summary>
    public Outcome<CleanPhoto> Clean() =>
        Bytes is null ? Refusal.TooLarge("body", $"A photo may have at most {MaxBytes} bytes.")
        : Bytes.Length == 0 ? Refusal.Invalid("body", "Send the photo as the request body.")
        : ImageContent.Detect(Bytes) is null ? Refusal.UnsupportedMediaType("body", "Not an image this accepts: send a JPEG, PNG or HEIC photo.")
        : PhotoImage.Clean(Bytes) is { } photo ? photo
        : Refusal.UnsupportedMediaType("body",
            $"The photo does not decode: send a whole JPEG, PNG or HEIC image of at most {PhotoImage.MaxPixels / 1_000_000} megapixels.");
}

/// <summary>
/// Which copy of a stored photo (of an incident, a check-in, a report-back) a caller is served: the one without
/// location and device metadata, or, asked with <c>original</c>, the upload as it came: only for the roles of
/// <see cref="AttachmentOptions.RolesWithOriginals"/> (<see cref="AccessPolicy.DecideOriginalPhoto"/>), and audited,
/// since it tells where it was taken and with which device.
/// </summary>
public sealed class PhotoCopies(IOptions<AttachmentOptions> options, AuditLog audit)
{
    /// <summary>Whether <c>?original=</c> asks for the upload as it came: absent or false not, true so, anything else a 400 naming it.</summary>
    public static Outcome<bool> Wanted(string? original) =>
        original is null ? false
        : bool.TryParse(original, out var wanted) ? wanted
        : Refusal.Invalid("original", "Say original=true for the photo as it was uploaded, or leave it out.");

    /// <summary>403 naming <c>original</c> when the caller asks for an upload as it came and may not have it; else null.</summary>
    public Refusal? Refuse(Caller caller, bool original) =>
        original && AccessPolicy.DecideOriginalPhoto(caller, options.Value.RolesWithOriginals) != AccessDecision.Allowed
            ? Refusal.Forbidden("original", "Your role is served photos without their location and device data only: ask without original.")
            : null;

    /// <summary>The copy asked for, of a photo the caller may see (<see cref="Refuse"/> said yes to the original already).</summary>
    /// <param name="url">The photo's address, the audit row's target.</param>
    public async Task<Outcome<PhotoFile>> Serve(Actor actor, string url, StoredPhoto photo, bool original)
    {
        if (!original)
            return photo.Served() is { } served ? served : Refusal.NotFound($"No photo {url} that can be shown: it does not decode.");
        await audit.Append(actor.Caller, AuditActions.ReadPhotoOriginal, url, clientAddress: actor.ClientAddress);
        return photo.Upload();
    }
}

/// <summary>
/// Photos of incidents (现场照片): accepted only when the bytes decode as a JPEG, PNG or HEIC image, and served only to
/// callers within whose jurisdiction the incident lies, without location and device metadata (<see cref="PhotoCopies"/>).
/// </summary>
public sealed class AttachmentService(IncidentService incidents, IGrainFactory grains, AttachmentStore store, AuditLog audit, PhotoCopies copies)
{
    /// <summary>Stores a photo of an incident the caller may report on, and puts it on the incident's timeline.</summary>
    public async Task<Outcome<AttachmentInfo>> Upload(Actor actor, Guid id, UploadedPhoto photo)
    {
        var caller = actor.Caller;
        if (await incidents.Visible(caller, id, AccessAction.ReportIncidents) is null)
            return Refusal.NotFound($"No incident {id}.");
        var clean = photo.Clean();
        if (clean.Refusal is { } refusal)
            return refusal;

        var attachment = await store.Save(id, clean.Value!, caller.Id);
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

    /// <summary>A photo's served copy, or its upload as it came (<paramref name="original"/>, for the roles that may).</summary>
    /// <remarks>A photo of an incident outside the caller's jurisdiction is "not found", like the incident itself.</remarks>
    public async Task<Outcome<PhotoFile>> Download(Actor actor, Guid id, bool original)
    {
        if (copies.Refuse(actor.Caller, original) is { } refusal)
            return refusal;
        return await store.Get(id) is { } stored && await incidents.Visible(actor.Caller, stored.Attachment.IncidentId) is not null
            ? await copies.Serve(actor, Url(id), stored.Photo, original)
            : Refusal.NotFound($"No attachment {id}.");
    }

    private static string Url(Guid id) => $"/api/attachments/{id}";

    private static AttachmentInfo Info(Attachment a) => new(a.Id, a.IncidentId, a.MediaType, a.Size, a.Sha256, a.UploadedBy, a.UploadedAt, Url(a.Id));
}
