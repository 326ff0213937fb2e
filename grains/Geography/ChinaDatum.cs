namespace CommandCenter.Geography;

/// <summary>
/// The coordinate systems a county's files come in. The product stores, serves and draws WGS-84 (RFC 7946 GeoJSON);
/// CGCS2000 (EPSG:4490, the natural-resources bureaus' datum) differs from it by centimetres and is taken as it is;
/// GCJ-02 (the obfuscated datum of Chinese web maps and of files traced from them) is shifted by hundreds of metres and
/// is converted to WGS-84 on import.
/// </summary>
public enum CoordinateSystem
{
    Wgs84,
    Cgcs2000,
    Gcj02,
}

/// <summary>GCJ-02 to and from WGS-84 (the published formula; outside China both are the same).</summary>
public static class ChinaDatum
{
    private const double A = 6378245.0;
    private const double Ee = 0.00669342162296594323;

    /// <summary>The coordinate system named by a request or a file: wgs84, cgcs2000, gcj02, or an EPSG code (4326, 4490).</summary>
    public static bool TryParse(string? name, out CoordinateSystem crs)
    {
        var word = (name ?? "").Trim().ToLowerInvariant().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        (var known, crs) = word switch
        {
            "wgs84" or "epsg:4326" or "4326" or "urn:ogc:def:crs:ogc:1.3:crs84" or "urn:ogc:def:crs:epsg::4326" => (true, CoordinateSystem.Wgs84),
            "cgcs2000" or "epsg:4490" or "4490" or "urn:ogc:def:crs:epsg::4490" => (true, CoordinateSystem.Cgcs2000),
            "gcj02" => (true, CoordinateSystem.Gcj02),
            _ => (false, CoordinateSystem.Wgs84),
        };
        return known;
    }

    /// <summary>A WGS-84 position as a GCJ-02 map shows it.</summary>
    public static (double Longitude, double Latitude) ToGcj02(double longitude, double latitude)
    {
        if (OutsideChina(longitude, latitude))
            return (longitude, latitude);
        var (dLng, dLat) = Shift(longitude, latitude);
        return (longitude + dLng, latitude + dLat);
    }

    /// <summary>A GCJ-02 position in WGS-84: the forward formula inverted by iteration, to well under a millimetre.</summary>
    public static (double Longitude, double Latitude) ToWgs84(double longitude, double latitude)
    {
        if (OutsideChina(longitude, latitude))
            return (longitude, latitude);
        var (lng, lat) = (longitude, latitude);
        for (var i = 0; i < 30; i++)
        {
            var (gLng, gLat) = ToGcj02(lng, lat);
            var (eLng, eLat) = (gLng - longitude, gLat - latitude);
            (lng, lat) = (lng - eLng, lat - eLat);
            if (Math.Abs(eLng) < 1e-10 && Math.Abs(eLat) < 1e-10)
                break;
        }
        return (lng, lat);
    }

    private static bool OutsideChina(double longitude, double latitude) =>
        longitude is < 72.004 or > 137.8347 || latitude is < 0.8293 or > 55.8271;

    private static (double Longitude, double Latitude) Shift(double longitude, double latitude)
    {
        var (x, y) = (longitude - 105.0, latitude - 35.0);
        var dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.Sqrt(Math.Abs(x))
            + (20.0 * Math.Sin(6.0 * x * Math.PI) + 20.0 * Math.Sin(2.0 * x * Math.PI)) * 2.0 / 3.0
            + (20.0 * Math.Sin(y * Math.PI) + 40.0 * Math.Sin(y / 3.0 * Math.PI)) * 2.0 / 3.0
            + (160.0 * Math.Sin(y / 12.0 * Math.PI) + 320 * Math.Sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
        var dLng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.Sqrt(Math.Abs(x))
            + (20.0 * Math.Sin(6.0 * x * Math.PI) + 20.0 * Math.Sin(2.0 * x * Math.PI)) * 2.0 / 3.0
            + (20.0 * Math.Sin(x * Math.PI) + 40.0 * Math.Sin(x / 3.0 * Math.PI)) * 2.0 / 3.0
            + (150.0 * Math.Sin(x / 12.0 * Math.PI) + 300.0 * Math.Sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;
        var radLat = latitude / 180.0 * Math.PI;
        var magic = 1 - Ee * Math.Sin(radLat) * Math.Sin(radLat);
        var sqrtMagic = Math.Sqrt(magic);
        dLat = dLat * 180.0 / (A * (1 - Ee) / (magic * sqrtMagic) * Math.PI);
        dLng = dLng * 180.0 / (A / sqrtMagic * Math.Cos(radLat) * Math.PI);
        return (dLng, dLat);
    }
}
