using CommandCenter.Video;

namespace CommandCenter.Tests.Video;

/// <summary>Janus' signed tokens as its token_auth_secret check computes them.</summary>
public sealed class JanusTokensTests
{
    [Fact]
    public void A_token_names_its_expiry_and_plugins_and_is_signed_with_hmac_sha1_in_base64()
    {
        var expiry = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var token = JanusTokens.Sign("janus", expiry, JanusTokens.VideoRoom);
        // openssl: printf '1800000000,janus,janus.plugin.videoroom' | openssl dgst -sha1 -hmac janus -binary | base64
        Assert.Equal("1800000000,janus,janus.plugin.videoroom:" + ExpectedSignature, token);
        Assert.StartsWith("1800000000,janus,janus.plugin.videoroom,janus.plugin.textroom:", JanusTokens.Sign("janus", expiry, JanusTokens.VideoRoom, "janus.plugin.textroom"));
        Assert.NotEqual(token, JanusTokens.Sign("other", expiry, JanusTokens.VideoRoom));
        Assert.Throws<ArgumentException>(() => JanusTokens.Sign("janus", expiry));
    }

    private const string ExpectedSignature = "JvpYdVlte5cZkjsSL7XQqv/rDkE=";
}
