using System.Buffers.Binary;

namespace CommandCenter.Incidents;

/// <summary>
/// Which image an upload is, decided by its first bytes alone (a file's name or declared type never counts):
/// JPEG, PNG or HEIC, the formats phone cameras write. Everything else is refused.
/// </summary>
public static class ImageContent
{
    public const string Jpeg = "image/jpeg";
    public const string Png = "image/png";
    public const string Heic = "image/heic";

    private static ReadOnlySpan<byte> JpegStart => [0xFF, 0xD8, 0xFF];

    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static ReadOnlySpan<byte> FileTypeBox => "ftyp"u8;

    /// <summary>HEIF brands of still images and image sequences (ISO/IEC 23008-12), HEVC-coded or not.</summary>
    private static readonly HashSet<string> HeifBrands = new(["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"], StringComparer.Ordinal);

    /// <summary>The media type of the image in <paramref name="bytes"/>, or null when it is none of JPEG, PNG and HEIC.</summary>
    public static string? Detect(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith(JpegStart) ? Jpeg
        : bytes.StartsWith(PngSignature) ? Png
        : IsHeif(bytes) ? Heic
        : null;

    /// <summary>
    /// An ISO base media file whose first box is <c>ftyp</c> (size, "ftyp", major brand, minor version, compatible
    /// brands up to the box's end) naming a HEIF brand. A box larger than the input (a truncated file) is refused.
    /// </summary>
    private static bool IsHeif(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 16 || !bytes[4..8].SequenceEqual(FileTypeBox))
            return false;
        var size = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        if (size < 16 || size > bytes.Length)
            return false;
        if (IsHeifBrand(bytes[8..12]))
            return true;
        for (var offset = 16; offset + 4 <= size; offset += 4)
        {
            if (IsHeifBrand(bytes.Slice(offset, 4)))
                return true;
        }
        return false;
    }

    private static bool IsHeifBrand(ReadOnlySpan<byte> brand) => HeifBrands.Contains(System.Text.Encoding.Latin1.GetString(brand));
}
