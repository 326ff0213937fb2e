namespace CommandCenter.Web.Video;

/// <summary>
/// The media server (<c>CommandCenter:Video</c>): Janus' WebSocket API, the secrets it shares with us (read from
/// <see cref="SecretsFile"/>, the file deploy/lib.sh cc_start_janus writes, or given one by one), and the rooms and
/// tickets we make. Without <see cref="Janus"/> there is no video: conference and roll-call video answer 503.
/// </summary>
public sealed class VideoOptions
{
    /// <summary>Janus' WebSocket API as this server reaches it, e.g. ws://127.0.0.1:8188 (never exposed to browsers: they go through /api/video/janus).</summary>
    public string? Janus { get; set; }

    /// <summary>KEY=value lines: JANUS_TOKEN_SECRET, JANUS_ROOM_ADMIN_KEY, JANUS_EVENTS_SECRET.</summary>
    public string? SecretsFile { get; set; }

    public string? TokenSecret { get; set; }

    public string? RoomAdminKey { get; set; }

    public string? EventsSecret { get; set; }

    /// <summary>How long a ticket to the media server (what a participant's page opens /api/video/janus with) is good for.</summary>
    public TimeSpan TicketLifetime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one connection to the media server may last (its Janus token's expiry); the page then rejoins with a new ticket.</summary>
    public TimeSpan ConnectionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How many may publish in one room at once (Janus' default is 6).</summary>
    public int Publishers { get; set; } = 24;

    /// <summary>The most a publisher sends, bits per second (the high simulcast layer).</summary>
    public int Bitrate { get; set; } = 768_000;

    /// <summary>
    /// STUN/TURN servers the pages use (e.g. coturn for stations behind NAT, see the README), each
    /// { "Urls": "turn:turn.example:3478", "Username": …, "Credential": … }; none on a flat private network.
    /// </summary>
    public List<IceServer> IceServers { get; set; } = [];

    /// <summary>What a publishing page asks of its camera (a station on a thin line sends less).</summary>
    public VideoCapture Capture { get; set; } = new();

    /// <summary>How long one request to Janus may take.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Janus);

    /// <summary>Why these options cannot work, or null.</summary>
    public string? Problem() =>
        !IsConfigured ? null
        : !Uri.TryCreate(Janus, UriKind.Absolute, out var url) || url.Scheme is not ("ws" or "wss")
            ? "CommandCenter:Video:Janus must be a ws:// or wss:// address."
        : TicketLifetime <= TimeSpan.Zero || ConnectionLifetime <= TimeSpan.Zero ? "CommandCenter:Video: lifetimes must be positive."
        : Publishers < 2 ? "CommandCenter:Video:Publishers must be at least 2."
        : Capture.Width is < 160 or > 1920 || Capture.Height is < 120 or > 1080 || Capture.FrameRate is < 1 or > 30
            ? "CommandCenter:Video:Capture: width 160–1920, height 120–1080, frame rate 1–30."
        : null;
}

/// <summary>The camera size and rate a publishing page asks for (getUserMedia's ideal width, height and frame rate).</summary>
public sealed class VideoCapture
{
    public int Width { get; set; } = 640;

    public int Height { get; set; } = 480;

    public int FrameRate { get; set; } = 15;
}

/// <summary>A STUN or TURN server as the browsers' RTCPeerConnection takes it.</summary>
public sealed record IceServer(string Urls, string? Username = null, string? Credential = null);
