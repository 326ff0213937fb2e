using System.Security.Cryptography;
using System.Text;

namespace CommandCenter.Incidents;

/// <summary>
/// An incident's id is derived from the idempotency key of its report, so a retried report
/// reaches the same grain and can never become a second incident.
/// </summary>
public static class IncidentIds
{
    public static Guid FromIdempotencyKey(string idempotencyKey)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes("incident:" + idempotencyKey), hash);
        var bytes = hash[..16];
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80); // RFC 9562 version 8 (custom)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }
}
