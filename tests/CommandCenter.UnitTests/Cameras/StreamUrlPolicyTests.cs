using CommandCenter.Cameras;

namespace CommandCenter.Tests.Cameras;

/// <summary>Which stream addresses a camera may have: the allow-list in front of ffmpeg.</summary>
public sealed class StreamUrlPolicyTests
{
    private static readonly StreamUrlPolicy Policy = new(["127.0.0.1", "localhost", "*.cams.baiyin.gov.cn", "10.20.0.7"]);

    [Theory]
    [InlineData("rtsp://127.0.0.1:8554/cam01")]
    [InlineData("rtsp://admin:secret@10.20.0.7:554/Streaming/Channels/101")]
    [InlineData("http://localhost:8088/hls/cam03/index.m3u8")]
    [InlineData("https://east.cams.baiyin.gov.cn/live/42.m3u8?token=a%20b&x=1")]
    [InlineData("RTSP://EAST.CAMS.BAIYIN.GOV.CN/cam")]
    public void Rtsp_and_http_streams_on_allowed_hosts_pass(string url) => Assert.Null(Policy.Check(url));

    [Theory]
    [InlineData(null, "Required")]
    [InlineData("", "Required")]
    [InlineData("file:///etc/passwd", "not file:")]
    [InlineData("concat:rtsp://127.0.0.1/a|rtsp://127.0.0.1/b", "'|'")]
    [InlineData("concat:rtsp://127.0.0.1/a", "not concat:")]
    [InlineData("pipe:0", "not pipe:")]
    [InlineData("data:text/plain;base64,AAAA", "not data:")]
    [InlineData("subfile,,start,0,end,0,,:rtsp://127.0.0.1/a", "Only rtsp")]
    [InlineData("-i /etc/passwd", "'-'")]
    [InlineData("rtsp://127.0.0.1/cam -f null", "Spaces")]
    [InlineData("rtsp://127.0.0.1/cam\"-y", "'\"'")]
    [InlineData("rtsp://127.0.0.1/cam\\x", "'\\'")]
    [InlineData("rtsp://127.0.0.1/cam\n-i x", "Spaces")]
    [InlineData("rtsp://127.0.0.1/摄像头", "non-ASCII")]
    [InlineData("rtsp:127.0.0.1/cam", "Only rtsp")]
    [InlineData("ftp://127.0.0.1/cam", "not ftp:")]
    [InlineData("rtmp://127.0.0.1/live", "not rtmp:")]
    [InlineData("rtsp://10.20.0.8/cam", "not among the allowed")]
    [InlineData("rtsp://cams.baiyin.gov.cn/cam", "not among the allowed")]
    [InlineData("rtsp://evilcams.baiyin.gov.cn.attacker.net/cam", "not among the allowed")]
    [InlineData("http://127.0.0.1.nip.io/cam", "not among the allowed")]
    [InlineData("rtsp:///cam", "valid address")]
    public void Anything_else_is_refused_with_the_reason(string? url, string reason)
    {
        var problem = Policy.Check(url);

        Assert.NotNull(problem);
        Assert.Contains(reason, problem);
    }

    [Fact]
    public void Overlong_addresses_are_refused() =>
        Assert.Contains("At most", Policy.Check("rtsp://127.0.0.1/" + new string('a', StreamUrlPolicy.MaxLength)));

    [Theory]
    [InlineData("rtsp://admin:s3cret@10.20.0.7:554/Streaming/Channels/101: Connection refused",
        "rtsp://***@10.20.0.7:554/Streaming/Channels/101: Connection refused")]
    [InlineData("https://east.cams.baiyin.gov.cn/live/42.m3u8?token=abc&x=1: Server returned 403 Forbidden",
        "https://east.cams.baiyin.gov.cn/live/42.m3u8?***: Server returned 403 Forbidden")]
    [InlineData("from http://u:p@a/x?k=v to rtsp://b/y", "from http://***@a/x?*** to rtsp://b/y")]
    [InlineData("Invalid data found when processing input", "Invalid data found when processing input")]
    public void Addresses_in_text_lose_their_credentials_and_queries(string text, string expected) =>
        Assert.Equal(expected, StreamUrlPolicy.WithoutCredentials(text));
}
