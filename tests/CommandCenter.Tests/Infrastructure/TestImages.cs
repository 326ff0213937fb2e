using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;

namespace CommandCenter.Tests.Infrastructure;

/// <summary>Real small images for upload tests: a PNG written here, a JPEG encoded by Debian's ffmpeg.</summary>
public static class TestImages
{
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

    /// <summary>A 16×16 red JPEG, encoded by ffmpeg (installed by test.sh).</summary>
    public static byte[] Jpeg()
    {
        var start = new ProcessStartInfo("ffmpeg", ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "color=red:s=16x16",
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
