using System.Text.Json;
using CommandCenter.Video;

namespace CommandCenter.Tests.Video;

public sealed class JanusEventsTests
{
    private const long Micros = 1_764_900_000_123_456;
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(Micros / 1000);

    private static IReadOnlyList<VideoEvent> Read(string json) => JanusEvents.Read(JsonDocument.Parse(json).RootElement);

    private static string Plugin(string data) =>
        $$"""{"emitter":"CommandCenter","type":64,"timestamp":{{Micros}},"session_id":1,"handle_id":2,"event":{"plugin":"janus.plugin.videoroom","data":""" + data + "}}";

    [Fact]
    public void Joins_publishes_and_leaves_of_our_feeds_are_read_with_janus_time()
    {
        var events = Read($"[{Plugin("""{"event":"joined","room":"session-a","id":"620402001#ab","display":"城关镇 · 张三"}""")},"
            + Plugin("""{"event":"published","room":"session-a","id":"620402001#ab","streams":[{"type":"audio","mid":"0"},{"type":"video","mid":"1"}]}""") + ","
            + Plugin("""{"event":"leaving","room":"session-a","id":"620402001#ab"}""") + "]");
        Assert.Equal(
        [
            new FeedJoined("session-a", "620402001", At, "620402001#ab", "城关镇 · 张三"),
            new FeedPublished("session-a", "620402001", At, "620402001#ab", "0"),
            new FeedLeft("session-a", "620402001", At, "620402001#ab"),
        ], events);
    }

    [Fact]
    public void The_first_video_of_our_handle_is_read_and_audio_or_stopping_is_not()
    {
        static string Media(string body, string opaque = "cc|rollcall-x|620402001") =>
            $$"""{"type":32,"timestamp":{{Micros}},"opaque_id":"{{opaque}}","event":""" + body + "}";
        var events = Read($"[{Media("""{"media":"video","mid":"1","receiving":true}""")},{Media("""{"media":"audio","receiving":true}""")},"
            + $"{Media("""{"media":"video","receiving":false,"seconds":2}""")},{Media("""{"media":"video","receiving":true}""", "someone")}]");
        Assert.Equal([new VideoReceived("rollcall-x", "620402001", At)], events);
    }

    [Fact]
    public void Ice_failing_is_read_for_our_handles()
    {
        var events = Read($$"""{"type":16,"timestamp":{{Micros}},"opaque_id":"cc|session-a|u:duty","event":{"ice":"failed"} }""");
        Assert.Equal([new MediaFailed("session-a", "u:duty", At)], events);
    }

    [Theory]
    [InlineData("""{"type":64,"timestamp":1,"event":{"plugin":"janus.plugin.videoroom","data":{"event":"joined","room":"r","id":"no-nonce"}}}""")]
    [InlineData("""{"type":64,"timestamp":1,"event":{"plugin":"janus.plugin.echotest","data":{"event":"joined","room":"r","id":"a#b"}}}""")]
    [InlineData("""{"type":64,"event":{"plugin":"janus.plugin.videoroom","data":{"event":"joined","room":"r","id":"a#b"}}}""")]
    [InlineData("""{"type":1,"timestamp":1,"event":{"name":"created"}}""")]
    [InlineData("""[1, "x", null]""")]
    [InlineData("""{}""")]
    public void Anything_else_is_left_alone(string json) => Assert.Empty(Read(json));

    [Theory]
    [InlineData("620402001#ab", "620402001")]
    [InlineData("u:duty#1#2", "u:duty#1")]
    [InlineData("#ab", null)]
    [InlineData("plain", null)]
    public void The_participant_of_a_feed_id_is_what_comes_before_its_last_hash(string feed, string? participant) =>
        Assert.Equal(participant, JanusEvents.ParticipantOf(feed));
}
