using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using ImageMagick;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.Xmp;
using Rational = ImageMagick.Rational;

namespace CommandCenter.Tests.Infrastructure;

/// <summary>
/// Real small images for upload tests: a PNG written here, a JPEG encoded by Debian's ffmpeg (with a camera's EXIF and
/// XMP added by Magick.NET where asked), a HEIC encoded once by libheif's heif-enc; and what a photo's metadata tells.
/// </summary>
public static class TestImages
{
    /// <summary>A place in the demo county and a camera body's serial number, as a phone writes them into its photos.</summary>
    public const double Latitude = 36.5436, Longitude = 104.1739;

    public const string Serial = "SN-TEST-4711";
    /// <summary>A valid RGB PNG of one colour (signature, IHDR, zlib-compressed IDAT, IEND, each chunk with its CRC-32).</summary>
    public static byte[] Png(int width = 16, int height = 16, byte red = 0xD0, byte green = 0x30, byte blue = 0x20)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bits per sample
        header[9] = 2; // truecolour; compression, filter and interlace methods 0

        var rows = new byte[height * (1 + 3 * width)];
        for (var y = 0; y < height; y++)
        {
            var row = y * (1 + 3 * width); // each row starts with filter type 0
            for (var x = 0; x < width; x++)
                (rows[row + 1 + 3 * x], rows[row + 2 + 3 * x], rows[row + 3 + 3 * x]) = (red, green, blue);
        }
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(rows);

        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>
    /// A PNG of exactly <paramref name="size"/> bytes: <see cref="Png()"/> with a private ancillary chunk (which decoders
    /// skip) filling it up.
    /// </summary>
    public static byte[] PngOfSize(int size)
    {
        var png = Png();
        var end = png.Length - 12; // IEND: length, type, CRC
        using var padded = new MemoryStream(size);
        padded.Write(png, 0, end);
        Chunk(padded, "ccPd", new byte[size - png.Length - 12]);
        padded.Write(png, end, 12);
        return padded.ToArray();
    }

    /// <summary>
    /// A JPEG as a phone writes it: <see cref="Jpeg"/>'s pixels with EXIF (GPS IFD with <see cref="Latitude"/> and
    /// <see cref="Longitude"/>, make, model, the body's serial number <see cref="Serial"/>, an orientation) and XMP
    /// naming the same place.
    /// </summary>
    public static byte[] JpegWithLocation(int width = 64, int height = 48, ushort orientation = 1)
    {
        using var image = new MagickImage(Jpeg(width, height));
        var exif = new ExifProfile();
        exif.SetValue(ExifTag.Make, "TestPhone");
        exif.SetValue(ExifTag.Model, "TP-1");
        exif.SetValue(ExifTag.SerialNumber, Serial);
        exif.SetValue(ExifTag.Orientation, orientation);
        exif.SetValue(ExifTag.GPSLatitudeRef, "N");
        exif.SetValue(ExifTag.GPSLatitude, Degrees(Latitude));
        exif.SetValue(ExifTag.GPSLongitudeRef, "E");
        exif.SetValue(ExifTag.GPSLongitude, Degrees(Longitude));
        image.SetProfile(exif);
        image.Orientation = (Orientation)orientation; // written over the profile's tag
        image.SetProfile(new XmpProfile(Encoding.UTF8.GetBytes($"""
            <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
            <rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="36,32.616N" exif:GPSLongitude="104,10.434E"/>
            </rdf:RDF></x:xmpmeta>
            """)));
        return image.ToByteArray(MagickFormat.Jpeg);
    }

    /// <summary>A 64×48 red HEIC (HEVC-coded), made with <c>heif-enc -q 50</c> (libheif 1.15.1, x265) from a PNG of ffmpeg's.</summary>
    public static byte[] Heic() => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Infrastructure", "red.heic"));

    /// <summary>A file that starts like a JPEG (SOI, APP0) and is nothing after it.</summary>
    public static byte[] FakeJpeg() => [0xFF, 0xD8, 0xFF, 0xE0, .. "this is no image at all, only text behind a JPEG header"u8];

    /// <summary>What a photo's metadata tells (the place to four decimals), read by MetadataExtractor, which shares no code with Magick.NET.</summary>
    public sealed record Metadata((double Latitude, double Longitude)? Location, string? Serial, bool HasXmp);

    public static Metadata MetadataOf(byte[] photo)
    {
        var directories = ImageMetadataReader.ReadMetadata(new MemoryStream(photo));
        var location = directories.OfType<GpsDirectory>().FirstOrDefault()?.GetGeoLocation();
        return new Metadata(location is null ? null : (Math.Round(location.Latitude, 4), Math.Round(location.Longitude, 4)),
            directories.OfType<ExifSubIfdDirectory>().FirstOrDefault()?.GetString(ExifDirectoryBase.TagBodySerialNumber),
            directories.OfType<XmpDirectory>().Any());
    }

    /// <summary>The width and height a photo decodes to.</summary>
    public static (uint Width, uint Height) SizeOf(byte[] photo)
    {
        using var image = new MagickImage(photo);
        return (image.Width, image.Height);
    }

    private static Rational[] Degrees(double value)
    {
        var minutes = (value - Math.Floor(value)) * 60;
        return [new Rational((uint)Math.Floor(value), 1), new Rational((uint)Math.Floor(minutes), 1),
            new Rational((uint)Math.Round((minutes - Math.Floor(minutes)) * 60 * 1000), 1000)];
    }

    /// <summary>A red JPEG, 16×16 unless told, encoded by ffmpeg (installed by test.sh).</summary>
    public static byte[] Jpeg(int width = 16, int height = 16)
    {
        var start = new ProcessStartInfo("ffmpeg", ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", $"color=red:s={width}x{height}",
            "-frames:v", "1", "-c:v", "mjpeg", "-f", "image2pipe", "pipe:1"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var ffmpeg = Process.Start(start)!;
        using var output = new MemoryStream();
        var error = ffmpeg.StandardError.ReadToEndAsync();
        ffmpeg.StandardOutput.BaseStream.CopyTo(output);
        ffmpeg.WaitForExit();
        Assert.True(ffmpeg.ExitCode == 0, $"ffmpeg failed: {error.Result}");
        return output.ToArray();
    }

    /// <summary>The start of a HEIC file: an <c>ftyp</c> box of the given brands, then filler standing in for the image.</summary>
    public static byte[] Heif(string majorBrand, params string[] compatibleBrands)
    {
        var size = 16 + 4 * compatibleBrands.Length;
        var box = new byte[size + 64];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)size);
        Encoding.ASCII.GetBytes("ftyp" + majorBrand).CopyTo(box, 4);
        for (var i = 0; i < compatibleBrands.Length; i++)
            Encoding.ASCII.GetBytes(compatibleBrands[i]).CopyTo(box, 16 + 4 * i);
        return box;
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        var number = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typed));
        png.Write(number);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
