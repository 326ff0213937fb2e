using System.Security.Cryptography;
using Npgsql;

namespace CommandCenter.Incidents;

/// <summary>A photo attached to an incident, without its bytes: what lists show and what the upload answers.</summary>
public sealed record Attachment(Guid Id, Guid IncidentId, string MediaType, int Size, string Sha256, string UploadedBy, DateTimeOffset UploadedAt);

/// <summary>A stored photo with its bytes, for serving it.</summary>
public sealed record AttachmentContent(Attachment Attachment, StoredPhoto Photo);

/// <summary>
/// Photos of incidents in PostgreSQL (<c>cc_attachment</c>), added and never changed: the copy served (whose media
/// type, size and SHA-256 the <see cref="Attachment"/> gives) and the upload as it came (<see cref="PhotoImage"/>).
/// </summary>
public sealed class AttachmentStore(NpgsqlDataSource db, TimeProvider clock)
{
    private const string Columns = "id, incident_id, media_type, size, sha256, uploaded_by, uploaded_at";

    /// <summary>Stores the photo for the incident, durable when the task completes.</summary>
    public async Task<Attachment> Save(Guid incident, CleanPhoto photo, string uploadedBy)
    {
        var now = clock.GetUtcNow();
        var at = Timestamps.Stored(now);
        var content = photo.Served.Bytes;
        var attachment = new Attachment(Guid.CreateVersion7(at), incident, photo.Served.MediaType, content.Length,
            Convert.ToHexStringLower(SHA256.HashData(content)), uploadedBy, at);
        await using var cmd = db.CreateCommand($"INSERT INTO cc_attachment ({Columns}, content, original) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
        cmd.Parameters.AddWithValue(attachment.Id);
        cmd.Parameters.AddWithValue(attachment.IncidentId);
        cmd.Parameters.AddWithValue(attachment.MediaType);
        cmd.Parameters.AddWithValue(attachment.Size);
        cmd.Parameters.AddWithValue(attachment.Sha256);
        cmd.Parameters.AddWithValue(attachment.UploadedBy);
        cmd.Parameters.AddWithValue(attachment.UploadedAt);
        cmd.Parameters.AddWithValue(content);
        cmd.Parameters.AddWithValue(photo.Original);
        await cmd.ExecuteNonQueryAsync();
        return attachment;
    }

    /// <summary>The incident's photos, oldest first, without their bytes.</summary>
    public async Task<IReadOnlyList<Attachment>> List(Guid incident)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM cc_attachment WHERE incident_id = $1 ORDER BY uploaded_at, id");
        cmd.Parameters.AddWithValue(incident);
        await using var reader = await cmd.ExecuteReaderAsync();
        var attachments = new List<Attachment>();
        while (await reader.ReadAsync())
            attachments.Add(Read(reader));
        return attachments;
    }

    /// <summary>One photo with its bytes, or null when there is none with this id.</summary>
    public async Task<AttachmentContent?> Get(Guid id)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns}, content, original FROM cc_attachment WHERE id = $1");
        cmd.Parameters.AddWithValue(id);
        await using var reader = await cmd.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
            return null;
        var attachment = Read(reader);
        return new AttachmentContent(attachment, PhotoImage.Stored(attachment.MediaType, reader, 7));
    }

    /// <summary>Whether every one of <paramref name="ids"/> is a photo of <paramref name="incident"/> (true for none).</summary>
    public async Task<bool> AllBelongTo(Guid incident, IReadOnlyCollection<Guid> ids)
    {
        var distinct = ids.Distinct().ToArray();
        if (distinct.Length == 0)
            return true;
        await using var cmd = db.CreateCommand("SELECT count(*) FROM cc_attachment WHERE incident_id = $1 AND id = ANY($2)");
        cmd.Parameters.AddWithValue(incident);
        cmd.Parameters.AddWithValue(distinct);
        return (long)(await cmd.ExecuteScalarAsync())! == distinct.Length;
    }

    private static Attachment Read(NpgsqlDataReader reader) =>
        new(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4),
            reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6));
}
