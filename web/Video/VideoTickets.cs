using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Video;

/// <summary>What a ticket admits: one signed-in person, to one room, as one participant, publishing or only watching, until <see cref="Expires"/>.</summary>
public sealed record VideoTicket(string User, string Room, string Participant, string Display, bool Publish, DateTimeOffset Expires);

/// <summary>
/// Tickets to the media server: what the conference and roll-call endpoints hand a participant's page, and what it
/// opens /api/video/janus with. Sealed with the app's Data Protection keys (shared by every node), good for
/// <see cref="VideoOptions.TicketLifetime"/> by the injected clock, and only for the person it was issued to.
/// </summary>
public sealed class VideoTickets(IDataProtectionProvider protection, IOptions<VideoOptions> options, TimeProvider clock)
{
    private readonly IDataProtector _protector = protection.CreateProtector("CommandCenter.Video.Tickets");

    /// <summary>A sealed ticket and when it expires.</summary>
    public (string Ticket, DateTimeOffset Expires) Issue(string user, string room, string participant, string display, bool publish)
    {
        var expires = clock.GetUtcNow() + options.Value.TicketLifetime;
        return (_protector.Protect(JsonSerializer.Serialize(new VideoTicket(user, room, participant, display, publish, expires))), expires);
    }

    /// <summary>The ticket, when it is one of ours, not expired and issued to <paramref name="user"/>; else null.</summary>
    public VideoTicket? Read(string? sealedTicket, string user)
    {
        if (string.IsNullOrEmpty(sealedTicket))
            return null;
        try
        {
            var ticket = JsonSerializer.Deserialize<VideoTicket>(_protector.Unprotect(sealedTicket));
            return ticket is not null && ticket.User == user && ticket.Expires > clock.GetUtcNow() ? ticket : null;
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }
}
