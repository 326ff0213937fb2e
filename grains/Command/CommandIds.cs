using System.Security.Cryptography;
using System.Text;

namespace CommandCenter.Command;

/// <summary>
/// The ids of what the command API creates, derived from the kind, the caller and the request's Idempotency-Key: a
/// retried request reaches the same session, instruction or report-back, and two callers' keys never meet.
/// </summary>
public static class CommandIds
{
    public static Guid Session(string callerId, string key) => Of("command-session", callerId, key);

    public static Guid Instruction(string callerId, string key) => Of("instruction", callerId, key);

    public static Guid Report(string callerId, string key) => Of("instruction-report", callerId, key);

    private static Guid Of(string kind, string callerId, string key)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(kind + ":" + callerId + "\n" + key), hash);
        var bytes = hash[..16];
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80); // RFC 9562 version 8 (custom)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }
}
