using System.Text.Json.Nodes;
using CommandCenter.Video;

namespace CommandCenter.Tests.Video;

public sealed class JanusRequestRulesTests
{
    private static readonly VideoGrant Station = new("tok-1", "session-a", "620402001", "620402001#ab12", "城关镇 · 张三", Publish: true);
    private static readonly VideoGrant Viewer = Station with { Participant = "u:leader", FeedId = "u:leader#cd34", Display = "县委 · 李四", Publish = false };

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    private static JsonObject Forwarded(string json, VideoGrant grant)
    {
        var (forward, refused) = JanusRequestRules.Inspect(Parse(json), grant);
        Assert.True(forward is not null, refused);
        return forward!;
    }

    private static string Refused(string json, VideoGrant grant)
    {
        var (forward, refused) = JanusRequestRules.Inspect(Parse(json), grant);
        Assert.Null(forward);
        return refused!;
    }

    [Fact]
    public void Every_request_goes_on_with_the_connections_own_token_and_never_a_secret()
    {
        var forward = Forwarded("""{"janus":"create","transaction":"t1","token":"forged","apisecret":"x","admin_secret":"y"}""", Station);
        Assert.Equal("tok-1", (string?)forward["token"]);
        Assert.False(forward.ContainsKey("apisecret"));
        Assert.False(forward.ContainsKey("admin_secret"));
        Assert.Equal("t1", (string?)forward["transaction"]);
    }

    [Fact]
    public void Only_the_video_room_is_attached_and_its_handles_carry_our_opaque_id()
    {
        var forward = Forwarded("""{"janus":"attach","plugin":"janus.plugin.videoroom","opaque_id":"someone-else","session_id":1}""", Station);
        Assert.Equal("cc|session-a|620402001", (string?)forward["opaque_id"]);
        Assert.Equal(("session-a", "620402001"), VideoGrant.ReadOpaqueId((string?)forward["opaque_id"]));
        Assert.Contains("video room", Refused("""{"janus":"attach","plugin":"janus.plugin.streaming"}""", Station));
    }

    [Fact]
    public void A_publisher_joins_its_own_room_under_our_feed_id_and_name_whatever_it_asks()
    {
        var forward = Forwarded("""
            {"janus":"message","session_id":1,"handle_id":2,"body":{"request":"join","ptype":"publisher","room":"session-a","id":"620402999#x","display":"<b>假冒</b>"}}
            """, Station);
        var body = forward["body"]!.AsObject();
        Assert.Equal("620402001#ab12", (string?)body["id"]);
        Assert.Equal("城关镇 · 张三", (string?)body["display"]);
        Assert.Equal("tok-1", (string?)body["token"]);
    }

    [Fact]
    public void Another_room_is_refused_and_so_is_a_join_that_names_none()
    {
        Assert.Contains("another", Refused("""{"janus":"message","body":{"request":"join","ptype":"subscriber","room":"session-b","streams":[]}}""", Station));
        Assert.Contains("another", Refused("""{"janus":"message","body":{"request":"listparticipants","room":"session-b"}}""", Station));
        Assert.Contains("Name the room", Refused("""{"janus":"message","body":{"request":"join","ptype":"publisher"}}""", Station));
        Forwarded("""{"janus":"message","body":{"request":"join","ptype":"subscriber","room":"session-a","streams":[{"feed":"x"}]}}""", Station);
    }

    [Theory]
    [InlineData("""{"janus":"message","body":{"request":"publish","audio":true}}""")]
    [InlineData("""{"janus":"message","body":{"request":"joinandconfigure","ptype":"publisher","room":"session-a"}}""")]
    [InlineData("""{"janus":"message","body":{"request":"configure","video":true},"jsep":{"type":"offer","sdp":"v=0"}}""")]
    [InlineData("""{"janus":"message","body":{"request":"join","ptype":"publisher","room":"session-a"},"jsep":{"type":"offer","sdp":"v=0"}}""")]
    public void One_who_may_only_watch_cannot_publish(string request)
    {
        Assert.Contains("not publish", Refused(request, Viewer));
        Forwarded(request, Station);
    }

    [Fact]
    public void One_who_may_only_watch_still_joins_and_subscribes()
    {
        Forwarded("""{"janus":"message","body":{"request":"join","ptype":"publisher","room":"session-a"}}""", Viewer);
        Forwarded("""{"janus":"message","body":{"request":"start"},"jsep":{"type":"answer","sdp":"v=0"}}""", Viewer);
        Forwarded("""{"janus":"message","body":{"request":"configure","substream":0}}""", Viewer);
    }

    [Theory]
    [InlineData("""{"janus":"message","body":{"request":"create","room":"session-a"}}""")]
    [InlineData("""{"janus":"message","body":{"request":"destroy","room":"session-a"}}""")]
    [InlineData("""{"janus":"message","body":{"request":"moderate","room":"session-a","id":"x","mid":"0","mute":true}}""")]
    [InlineData("""{"janus":"message","body":{"request":"kick","room":"session-a","id":"x"}}""")]
    [InlineData("""{"janus":"message","body":{"request":"rtp_forward","room":"session-a"}}""")]
    [InlineData("""{"janus":"message","body":{"request":"configure","record":true}}""")]
    [InlineData("""{"janus":"message","body":{"request":"join","ptype":"publisher","room":"session-a","pin":"1"}}""")]
    [InlineData("""{"janus":"message"}""")]
    [InlineData("""{"janus":"claim"}""")]
    [InlineData("""{"janus":"add_token","token":"x"}""")]
    [InlineData("""{"transaction":"t"}""")]
    public void Managing_rooms_recording_and_anything_unknown_are_refused(string request) => Refused(request, Station);

    [Fact]
    public void Configure_keeps_our_display_name()
    {
        var forward = Forwarded("""{"janus":"message","body":{"request":"configure","display":"别人"}}""", Station);
        Assert.Equal("城关镇 · 张三", (string?)forward["body"]!["display"]);
    }

    [Theory]
    [InlineData("cc|session-a|620402001", true)]
    [InlineData("cc|session-a", false)]
    [InlineData("xx|session-a|620402001", false)]
    [InlineData("cc||620402001", false)]
    [InlineData(null, false)]
    public void Only_our_opaque_ids_are_read(string? opaqueId, bool ours) => Assert.Equal(ours, VideoGrant.ReadOpaqueId(opaqueId) is not null);
}
