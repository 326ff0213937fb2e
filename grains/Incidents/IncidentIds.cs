using System.Security.Cryptography;
using System.Text;

namespace CommandCenter.Incidents;

/// <summary>
/// An incident's id is derived from the caller and the idempotency key of its report, so a retried report
/// reaches the same grain and can never become a second incident, and two callers that happen to choose the
/// same key never meet.
/// </summary>
public static class IncidentIds
{
    /// <param name="callerId">Who reports (<see cref="Access.Caller.Id"/>); a newline cannot occur in it.</param>
    public static Guid FromIdempotencyKey(string callerId, string idempotencyKey)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes("incident:" + callerId + "\n" + idempotencyKey), hash);
        var bytes = hash[..16];
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80); // RFC 9562 version 8 (custom)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }
}
