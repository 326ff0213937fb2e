using System.Buffers.Binary;
using System.Text;
using CommandCenter.Incidents;
using CommandCenter.Tests.Infrastructure;

namespace CommandCenter.Tests.Incidents;

/// <summary>Uploads are recognised by their bytes: JPEG, PNG and HEIC pass, anything else (whatever it is called) does not.</summary>
public sealed class ImageContentTests
{
    /// <summary>A JFIF JPEG's start: SOI, then the APP0 segment.</summary>
    private static readonly byte[] JpegStart = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01];

    [Fact]
    public void A_jpeg_is_recognised() => Assert.Equal("image/jpeg", ImageContent.Detect(JpegStart));

    [Fact]
    public void A_png_is_recognised() => Assert.Equal("image/png", ImageContent.Detect(TestImages.Png()));

    [Theory]
    [InlineData("heic")]
    [InlineData("heix")]
    [InlineData("hevc")]
    [InlineData("hevx")]
    [InlineData("heim")]
    [InlineData("heis")]
    [InlineData("mif1")]
    [InlineData("msf1")]
    public void A_heif_major_brand_is_heic(string brand) => Assert.Equal("image/heic", ImageContent.Detect(TestImages.Heif(brand, "mif1", brand)));

    [Fact]
    public void A_heif_brand_among_the_compatible_brands_is_heic() =>
        Assert.Equal("image/heic", ImageContent.Detect(TestImages.Heif("xxxx", "isom", "MiHE", "heic")));

    [Fact]
    public void A_brand_after_the_end_of_the_ftyp_box_does_not_count()
    {
        var bytes = TestImages.Heif("isom", "mp41");
        Encoding.ASCII.GetBytes("heic").CopyTo(bytes, 20); // just past the 20-byte box

        Assert.Null(ImageContent.Detect(bytes));
    }

    [Fact]
    public void An_ftyp_box_larger_than_the_file_or_too_small_is_refused()
    {
        var truncated = TestImages.Heif("heic", "mif1");
        BinaryPrimitives.WriteUInt32BigEndian(truncated, (uint)truncated.Length + 1);
        var tooSmall = TestImages.Heif("heic", "mif1");
        BinaryPrimitives.WriteUInt32BigEndian(tooSmall, 12);

        Assert.Null(ImageContent.Detect(truncated));
        Assert.Null(ImageContent.Detect(tooSmall));
        Assert.Null(ImageContent.Detect(TestImages.Heif("heic")[..15]));
    }

    public static TheoryData<string, byte[]> NotImages() => new()
    {
        { "text", "照片在附件里"u8.ToArray() },
        { "html", "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"u8.ToArray() },
        { "svg", """<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"""u8.ToArray() },
        { "gif", [.. "GIF89a"u8, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00] },
        { "pdf", "%PDF-1.7\n1 0 obj"u8.ToArray() },
        { "mp4", TestImages.Heif("isom", "iso2", "avc1", "mp41") },
        { "empty", [] },
        { "truncated jpeg", [0xFF, 0xD8] },
        { "truncated png", TestImages.Png()[..7] },
        { "png signature one byte off", [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0B] },
    };

    [Theory]
    [MemberData(nameof(NotImages))]
    public void Anything_else_is_refused(string kind, byte[] bytes) => Assert.True(ImageContent.Detect(bytes) is null, kind);

    [Fact]
    public void The_name_never_matters_a_png_called_jpg_is_a_png()
    {
        var path = Path.Combine(Path.GetTempPath(), $"photo-{Guid.NewGuid():N}.jpg");
        File.WriteAllBytes(path, TestImages.Png());
        try
        {
            Assert.Equal("image/png", ImageContent.Detect(File.ReadAllBytes(path)));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
