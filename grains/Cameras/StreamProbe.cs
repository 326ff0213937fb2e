using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CommandCenter.Cameras;

/// <summary>
/// What one probe found. <see cref="Sequence"/>: for a live HLS playlist, the media sequence number of its newest
/// segment, and <see cref="TargetDuration"/> its segments' length; a live stream's sequence moves on, a stalled one's not.
/// </summary>
public sealed record ProbeResult(bool Ok, string? Reason = null, long? Sequence = null, TimeSpan? TargetDuration = null)
{
    public static ProbeResult Failed(string reason) => new(false, reason);
}

/// <summary>
/// Checks that a camera's stream answers, at the protocol level and in-process (no ffmpeg, so that probing every
/// camera once a minute stays cheap): HTTP(S) HLS — the playlist (a master playlist's first variant) lists segments
/// and its newest segment starts as MPEG-TS or MP4; HTTP(S) JPEG or MJPEG — a JPEG arrives; RTSP — DESCRIBE answers
/// 200 with a video track (Basic or Digest credentials from the address). Redirects are not followed (they could
/// leave the allow-list); every address is checked against it. At most <see cref="CameraOptions.MaxConcurrentProbes"/>
/// run at once, each within <see cref="CameraOptions.ProbeTimeout"/>. Reasons never carry the address (credentials).
/// Each probe is counted (<c>cc.probes</c>, outcome ok or failed).
/// </summary>
public sealed class StreamProbe : IDisposable
{
    private const int MaxPlaylistBytes = 256 * 1024;
    private const int SegmentHeadBytes = 1024;

    private static readonly Counter<long> Probes = ProductMeter.Meter.CreateCounter<long>("cc.probes", "{probe}",
        "Camera stream probes: ok (the stream answered as a stream) or failed");

    private readonly CameraOptions _options;
    private readonly StreamUrlPolicy _policy;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _slots;

    public StreamProbe(IOptions<CameraOptions> options)
    {
        _options = options.Value;
        _policy = new StreamUrlPolicy(_options.AllowedHosts);
        _slots = new SemaphoreSlim(Math.Max(1, _options.MaxConcurrentProbes));
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = _options.ProbeTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            AutomaticDecompression = DecompressionMethods.None,
        })
        { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<ProbeResult> Probe(string url)
    {
        var result = await Run(url);
        Probes.Add(1, ProductMeter.Outcome(result.Ok ? "ok" : "failed"));
        return result;
    }

    private async Task<ProbeResult> Run(string url)
    {
        if (_policy.Check(url) is { } refused)
            return ProbeResult.Failed(refused);
        using var limit = new CancellationTokenSource(_options.ProbeTimeout);
        try
        {
            await _slots.WaitAsync(limit.Token);
            try
            {
                var uri = new Uri(url);
                return uri.Scheme == "rtsp" ? await Rtsp(uri, limit.Token) : await Http(uri, limit.Token);
            }
            finally
            {
                _slots.Release();
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            return ProbeResult.Failed($"no answer within {_options.ProbeTimeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            return ProbeResult.Failed(e.HttpRequestError switch
            {
                HttpRequestError.ConnectionError when e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused } =>
                    "the connection was refused",
                HttpRequestError.NameResolutionError => "the host name does not resolve",
                HttpRequestError.InvalidResponse or HttpRequestError.ResponseEnded => "it answered something that is not HTTP",
                _ => "the connection failed",
            });
        }
        catch (SocketException e)
        {
            return ProbeResult.Failed(e.SocketErrorCode == SocketError.ConnectionRefused ? "the connection was refused" : "the connection failed");
        }
        catch (IOException)
        {
            return ProbeResult.Failed("the connection broke off");
        }
    }

    private async Task<ProbeResult> Http(Uri uri, CancellationToken ct)
    {
        var (status, type, head) = await Get(uri, MaxPlaylistBytes, rangeOnly: false, ct);
        if (status != HttpStatusCode.OK)
            return ProbeResult.Failed($"it answered HTTP {(int)status}");
        if (IsJpeg(head))
            return new ProbeResult(true);
        if (type?.StartsWith("multipart/x-mixed-replace", StringComparison.OrdinalIgnoreCase) == true)
            return head.AsSpan().IndexOf(JpegStart) >= 0 ? new ProbeResult(true) : ProbeResult.Failed("its MJPEG stream sent no picture");
        var text = Encoding.UTF8.GetString(head);
        if (!text.StartsWith("#EXTM3U", StringComparison.Ordinal))
            return ProbeResult.Failed("it sent something that is not a video stream");
        var playlist = Playlist.Parse(text);
        if (playlist.FirstVariant is { } variant)
        {
            var media = new Uri(uri, variant);
            if (_policy.Check(media.AbsoluteUri) is { } refused)
                return ProbeResult.Failed("its variant playlist is not allowed: " + refused);
            (status, _, head) = await Get(media, MaxPlaylistBytes, rangeOnly: false, ct);
            if (status != HttpStatusCode.OK)
                return ProbeResult.Failed($"its variant playlist answered HTTP {(int)status}");
            playlist = Playlist.Parse(Encoding.UTF8.GetString(head));
            uri = media;
        }
        if (playlist.Segments.Count == 0)
            return ProbeResult.Failed("its playlist lists no segments");
        var segment = new Uri(uri, playlist.Segments[^1]);
        if (_policy.Check(segment.AbsoluteUri) is { } segmentRefused)
            return ProbeResult.Failed("its segment is not allowed: " + segmentRefused);
        (status, _, head) = await Get(segment, SegmentHeadBytes, rangeOnly: true, ct);
        if (status is not (HttpStatusCode.OK or HttpStatusCode.PartialContent))
            return ProbeResult.Failed($"its newest segment answered HTTP {(int)status}");
        if (!IsTransportStream(head) && !IsMp4(head))
            return ProbeResult.Failed("its newest segment is not MPEG-TS or MP4 video");
        return new ProbeResult(true, Sequence: playlist.Live ? playlist.MediaSequence + playlist.Segments.Count - 1 : null,
            TargetDuration: playlist.TargetDuration);
    }

    /// <summary>The status, content type and at most <paramref name="max"/> first bytes of the body (read no further: MJPEG never ends).</summary>
    private async Task<(HttpStatusCode Status, string? Type, byte[] Head)> Get(Uri uri, int max, bool rangeOnly, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (rangeOnly)
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, max - 1);
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(uri.UserInfo))));
        }
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[max];
        var read = 0;
        while (read < max && await body.ReadAsync(buffer.AsMemory(read, max - read), ct) is var n && n > 0)
            read += n;
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, buffer[..read]);
    }

    private static ReadOnlySpan<byte> JpegStart => [0xFF, 0xD8, 0xFF];

    private static bool IsJpeg(byte[] head) => head.AsSpan().StartsWith(JpegStart);

    /// <summary>MPEG-TS: packets of 188 bytes, each starting with the sync byte 0x47.</summary>
    private static bool IsTransportStream(byte[] head) =>
        head.Length >= 188 ? head[0] == 0x47 && (head.Length < 189 || head[188] == 0x47) : head.Length > 0 && head[0] == 0x47;

    /// <summary>MP4 / fragmented MP4: the first box is ftyp, styp, moof, sidx or emsg.</summary>
    private static bool IsMp4(byte[] head) =>
        head.Length >= 8 && Encoding.ASCII.GetString(head, 4, 4) is "ftyp" or "styp" or "moof" or "sidx" or "emsg";

    private async Task<ProbeResult> Rtsp(Uri uri, CancellationToken ct)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port > 0 ? uri.Port : 554, ct);
        await using var stream = tcp.GetStream();
        var target = new UriBuilder(uri) { UserName = "", Password = "" }.Uri.AbsoluteUri;
        var (user, password) = Credentials(uri);
        var (status, headers, body) = await Describe(stream, target, 1, null, ct);
        if (status == 401 && user is not null && headers.GetValueOrDefault("www-authenticate") is { } challenge)
            (status, _, body) = await Describe(stream, target, 2, Authorization(challenge, user, password ?? "", target), ct);
        if (status == 401)
            return ProbeResult.Failed("the camera refused the credentials (RTSP 401)");
        if (status != 200)
            return ProbeResult.Failed(status == 0 ? "it answered something that is not RTSP" : $"it answered RTSP {status}");
        return body.Contains("m=video", StringComparison.Ordinal) ? new ProbeResult(true) : ProbeResult.Failed("its stream has no video track");
    }

    private static (string? User, string? Password) Credentials(Uri uri)
    {
        if (string.IsNullOrEmpty(uri.UserInfo))
            return (null, null);
        var parts = uri.UserInfo.Split(':', 2);
        return (Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : null);
    }

    private static async Task<(int Status, Dictionary<string, string> Headers, string Body)> Describe(
        NetworkStream stream, string target, int sequence, string? authorization, CancellationToken ct)
    {
        var request = $"DESCRIBE {target} RTSP/1.0\r\nCSeq: {sequence}\r\nAccept: application/sdp\r\nUser-Agent: CommandCenter\r\n"
            + (authorization is null ? "" : $"Authorization: {authorization}\r\n") + "\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), ct);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        while (received.Length < MaxPlaylistBytes)
        {
            var n = await stream.ReadAsync(buffer, ct);
            if (n == 0)
                break;
            received.Write(buffer, 0, n);
            var text = Encoding.UTF8.GetString(received.GetBuffer(), 0, (int)received.Length);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0)
                continue;
            var lines = text[..end].Split("\r\n");
            var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
                .GroupBy(p => p[0].Trim().ToLowerInvariant()).ToDictionary(g => g.Key, g => g.First()[1].Trim());
            var length = int.TryParse(headers.GetValueOrDefault("content-length"), out var l) ? l : 0;
            if (Encoding.UTF8.GetByteCount(text) - (Encoding.UTF8.GetByteCount(text[..end]) + 4) < length)
                continue;
            var parts = lines[0].Split(' ', 3);
            var status = parts.Length >= 2 && parts[0].StartsWith("RTSP/", StringComparison.Ordinal) && int.TryParse(parts[1], out var s) ? s : 0;
            return (status, headers, text[(end + 4)..]);
        }
        return (0, [], "");
    }

    /// <summary>The Authorization header answering a Basic or Digest (MD5) challenge.</summary>
    private static string Authorization(string challenge, string user, string password, string target)
    {
        if (!challenge.StartsWith("Digest", StringComparison.OrdinalIgnoreCase))
            return "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
        var fields = System.Text.RegularExpressions.Regex.Matches(challenge, "(\\w+)=\"([^\"]*)\"")
            .ToDictionary(m => m.Groups[1].Value.ToLowerInvariant(), m => m.Groups[2].Value);
        var realm = fields.GetValueOrDefault("realm") ?? "";
        var nonce = fields.GetValueOrDefault("nonce") ?? "";
        static string Md5(string s) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(s)));
        var response = Md5($"{Md5($"{user}:{realm}:{password}")}:{nonce}:{Md5($"DESCRIBE:{target}")}");
        return $"Digest username=\"{user}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{target}\", response=\"{response}\"";
    }

    public void Dispose()
    {
        _http.Dispose();
        _slots.Dispose();
    }

    /// <summary>The few facts of an HLS playlist a probe needs.</summary>
    private sealed record Playlist(string? FirstVariant, IReadOnlyList<string> Segments, long MediaSequence, TimeSpan? TargetDuration, bool Live)
    {
        public static Playlist Parse(string text)
        {
            string? variant = null;
            var segments = new List<string>();
            long sequence = 0;
            TimeSpan? target = null;
            var live = true;
            var nextIsVariant = false;
            foreach (var raw in text.Split('\n'))
            {
                var line = raw.Trim();
                if (line.Length == 0)
                    continue;
                if (line.StartsWith("#EXT-X-STREAM-INF", StringComparison.Ordinal))
                    nextIsVariant = true;
                else if (line.StartsWith("#EXT-X-MEDIA-SEQUENCE:", StringComparison.Ordinal) && long.TryParse(line[22..], out var s))
                    sequence = s;
                else if (line.StartsWith("#EXT-X-TARGETDURATION:", StringComparison.Ordinal)
                    && double.TryParse(line[22..], System.Globalization.CultureInfo.InvariantCulture, out var d))
                    target = TimeSpan.FromSeconds(d);
                else if (line.StartsWith("#EXT-X-ENDLIST", StringComparison.Ordinal) || line == "#EXT-X-PLAYLIST-TYPE:VOD")
                    live = false;
                else if (!line.StartsWith('#'))
                {
                    if (nextIsVariant)
                        variant ??= line;
                    else
                        segments.Add(line);
                    nextIsVariant = false;
                }
            }
            return new Playlist(variant, segments, sequence, target, live);
        }
    }
}
