using System.Security.Cryptography;
using System.Text;

namespace CommandCenter;

/// <summary>
/// Ids derived from what is made (<c>kind</c>), who asks and the request's Idempotency-Key: a retried request reaches
/// the same thing and can never make a second one, and two callers that happen to choose the same key never meet.
/// </summary>
public static class KeyedIds
{
    /// <param name="callerId">Who asks (<see cref="Access.Caller.Id"/>); a newline cannot occur in it.</param>
    public static Guid Of(string kind, string callerId, string idempotencyKey)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(kind + ":" + callerId + "\n" + idempotencyKey), hash);
        var bytes = hash[..16];
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80); // RFC 9562 version 8 (custom)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }
}
