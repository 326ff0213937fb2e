using ImageMagick;
using Npgsql;

namespace CommandCenter.Incidents;

/// <summary>A photo's bytes with their media type.</summary>
public sealed record PhotoFile(string MediaType, byte[] Bytes);

/// <summary>
/// An upload that decoded as the image its first bytes say: <see cref="Served"/>, the copy everyone is shown, and
/// <see cref="Original"/>, the upload byte for byte with whatever its camera wrote into it (GPS, serial numbers).
/// </summary>
public sealed record CleanPhoto(PhotoFile Served, byte[] Original);

/// <summary>
/// A stored photo's bytes: <see cref="Content"/> (of <see cref="MediaType"/>) is the served copy and
/// <see cref="Original"/> the upload, except for photos stored before uploads were cleaned
/// (<c>deploy/sql/app/033-photo-originals.sql</c>): there <see cref="Original"/> is null and the content is the upload
/// itself, cleaned each time it is served.
/// </summary>
public sealed record StoredPhoto(string MediaType, byte[] Content, byte[]? Original)
{
    /// <summary>What everyone is shown: no location or device metadata; null for an old upload that does not decode.</summary>
    public PhotoFile? Served() => Original is null ? PhotoImage.Clean(Content)?.Served : new PhotoFile(MediaType, Content);

    /// <summary>The upload as it came, with its metadata.</summary>
    public PhotoFile Upload() => Original is { } original ? new PhotoFile(ImageContent.Detect(original) ?? MediaType, original) : new PhotoFile(MediaType, Content);
}

/// <summary>
/// Decodes an upload and encodes it again (现场照片 as served): a file whose first bytes claim an image but that does
/// not decode is refused, and the copy served is turned upright by its orientation tag and loses every other piece of
/// metadata (EXIF with its GPS and serial numbers, XMP, IPTC, comments) but its colour profile. JPEG and PNG stay what
/// they are; HEIC, which this build can read but not write, is served as JPEG.
/// </summary>
public static class PhotoImage
{
    /// <summary>The largest image decoded, in pixels: well above a phone camera's photo, well below what would exhaust memory.</summary>
    public const long MaxPixels = 100_000_000;

    private const uint JpegQuality = 90;

    /// <summary>A row's served copy and upload, read from the columns <c>content</c> at <paramref name="column"/> and <c>original</c> after it.</summary>
    public static StoredPhoto Stored(string mediaType, NpgsqlDataReader reader, int column) =>
        new(mediaType, reader.GetFieldValue<byte[]>(column), reader.IsDBNull(column + 1) ? null : reader.GetFieldValue<byte[]>(column + 1));

    /// <summary>The upload cleaned, or null when it is not a JPEG, PNG or HEIC image that decodes within <see cref="MaxPixels"/>.</summary>
    public static CleanPhoto? Clean(byte[] upload)
    {
        if (ImageContent.Detect(upload) is not { } mediaType)
            return null;
        // The format is the one the bytes were recognised as, so that no other decoder of ImageMagick ever reads an upload.
        var settings = new MagickReadSettings { Format = mediaType switch
        {
            ImageContent.Jpeg => MagickFormat.Jpeg,
            ImageContent.Png => MagickFormat.Png,
            _ => MagickFormat.Heic,
        } };
        try
        {
            var size = new MagickImageInfo(upload, settings);
            if ((long)size.Width * size.Height > MaxPixels)
                return null;
            using var image = new MagickImage(upload, settings);
            image.AutoOrient();
            var colours = image.GetColorProfile();
            image.Strip();
            if (colours is not null)
                image.SetProfile(colours);
            if (mediaType == ImageContent.Png)
            {
                image.Settings.SetDefine(MagickFormat.Png, "exclude-chunks", "date,time"); // ImageMagick's own time stamps
                return new CleanPhoto(new PhotoFile(ImageContent.Png, image.ToByteArray(MagickFormat.Png)), upload);
            }
            image.Quality = mediaType == ImageContent.Jpeg && image.Quality is > 0 and < JpegQuality ? image.Quality : JpegQuality;
            return new CleanPhoto(new PhotoFile(ImageContent.Jpeg, image.ToByteArray(MagickFormat.Jpeg)), upload);
        }
        catch (MagickException)
        {
            return null;
        }
    }
}
