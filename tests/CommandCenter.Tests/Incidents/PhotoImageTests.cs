using CommandCenter.Incidents;
using CommandCenter.Tests.Infrastructure;

namespace CommandCenter.Tests.Incidents;

/// <summary>
/// Uploads decoded and encoded again: real images (ffmpeg's JPEG with a phone's EXIF and XMP, libheif's HEIC) lose
/// their location and device metadata and keep their pixels; what does not decode is refused. Metadata is read back by
/// MetadataExtractor, not by the library that wrote it.
/// </summary>
public sealed class PhotoImageTests
{
    [Fact]
    public void A_jpeg_with_gps_and_a_serial_number_is_served_without_them_and_kept_with_them()
    {
        var upload = TestImages.JpegWithLocation();
        var before = TestImages.MetadataOf(upload);
        Assert.Equal(new TestImages.Metadata((TestImages.Latitude, TestImages.Longitude), TestImages.Serial, true), before);

        var clean = PhotoImage.Clean(upload)!;

        Assert.Equal(ImageContent.Jpeg, clean.Served.MediaType);
        Assert.Equal(ImageContent.Jpeg, ImageContent.Detect(clean.Served.Bytes));
        Assert.Equal(new TestImages.Metadata(null, null, false), TestImages.MetadataOf(clean.Served.Bytes));
        Assert.DoesNotContain(TestImages.Serial, System.Text.Encoding.Latin1.GetString(clean.Served.Bytes));
        Assert.Equal((64u, 48u), TestImages.SizeOf(clean.Served.Bytes));
        Assert.Same(upload, clean.Original);
    }

    [Fact]
    public void A_photo_taken_sideways_is_served_upright()
    {
        var clean = PhotoImage.Clean(TestImages.JpegWithLocation(64, 32, orientation: 6))!;

        Assert.Equal((32u, 64u), TestImages.SizeOf(clean.Served.Bytes));
    }

    [Fact]
    public void A_heic_is_served_as_a_jpeg_of_the_same_size()
    {
        var heic = TestImages.Heic();

        var clean = PhotoImage.Clean(heic)!;

        Assert.Equal(ImageContent.Jpeg, clean.Served.MediaType);
        Assert.Equal((64u, 48u), TestImages.SizeOf(clean.Served.Bytes));
        Assert.Equal(ImageContent.Heic, new StoredPhoto(clean.Served.MediaType, clean.Served.Bytes, clean.Original).Upload().MediaType);
    }

    [Fact]
    public void A_png_stays_a_png()
    {
        var clean = PhotoImage.Clean(TestImages.Png(20, 10))!;

        Assert.Equal(ImageContent.Png, clean.Served.MediaType);
        Assert.Equal((20u, 10u), TestImages.SizeOf(clean.Served.Bytes));
        Assert.DoesNotContain("tEXt", System.Text.Encoding.Latin1.GetString(clean.Served.Bytes));
    }

    public static TheoryData<string, byte[]> NotImages => new()
    {
        { "text behind a JPEG header", TestImages.FakeJpeg() },
        { "a JPEG cut after its first bytes", TestImages.Jpeg()[..40] },
        { "a PNG signature and zeros", [.. TestImages.Png()[..8], .. new byte[64]] },
        { "the start of a HEIC file", TestImages.Heif("heic", "mif1") },
        { "HTML", "<html><script>alert(1)</script></html>"u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(NotImages))]
    public void What_does_not_decode_is_refused(string kind, byte[] bytes) => Assert.True(PhotoImage.Clean(bytes) is null, kind);
}
