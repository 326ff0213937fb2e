using CommandCenter.Cameras;
using CommandCenter.Demo;

namespace CommandCenter.Tests.Cameras;

/// <summary>Which local test stream each demo camera points at (run.sh starts the streams).</summary>
public sealed class DemoStreamsTests
{
    private static readonly DemoStreamOptions Settings = new() { BaseUrl = "http://127.0.0.1:5080/demo-streams/", Count = 16, DeadEvery = 97 };

    [Theory]
    [InlineData(0, "http://127.0.0.1:5080/demo-streams/cam01/index.m3u8")]
    [InlineData(15, "http://127.0.0.1:5080/demo-streams/cam16/index.m3u8")]
    [InlineData(16, "http://127.0.0.1:5080/demo-streams/cam01/index.m3u8")]
    [InlineData(96, DemoStreams.DeadAddress)]
    [InlineData(97, "http://127.0.0.1:5080/demo-streams/cam02/index.m3u8")]
    [InlineData(193, DemoStreams.DeadAddress)]
    public void Cameras_take_the_streams_in_turn_and_a_few_a_dead_address(int index, string expected) =>
        Assert.Equal(expected, DemoStreams.AddressOf(index, Settings));

    [Fact]
    public void Every_demo_address_passes_the_default_allow_list()
    {
        var policy = new StreamUrlPolicy(CameraOptions.DefaultHosts);

        Assert.All(Enumerable.Range(0, 200).Select(i => DemoStreams.AddressOf(i, Settings)), url => Assert.Null(policy.Check(url)));
    }
}
