using NetTopologySuite.Geometries;

namespace CommandCenter.Geography;

/// <summary>
/// One area of the tree. Geometry is an NTS Polygon or MultiPolygon in WGS84
/// (X = longitude, Y = latitude), SRID 4326.
/// </summary>
public sealed record Jurisdiction(string Code, string Name, JurisdictionLevel Level, string? ParentCode, Geometry Geometry);

/// <summary>The words used for <see cref="JurisdictionLevel"/> in GeoJSON files.</summary>
public static class JurisdictionLevels
{
    /// <summary>The lowercase word for a level: "county", "township", "village" or "grid".</summary>
    public static string ToWord(this JurisdictionLevel level) => level switch
    {
        JurisdictionLevel.County => "county",
        JurisdictionLevel.Township => "township",
        JurisdictionLevel.Village => "village",
        JurisdictionLevel.Grid => "grid",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "unknown jurisdiction level"),
    };

    /// <summary>Parses "county" | "township" | "village" | "grid" (case-insensitive, surrounding blanks ignored) or "0".."3".</summary>
    public static bool TryParse(string? text, out JurisdictionLevel level)
    {
        level = default;
        if (text is null)
        {
            return false;
        }

        switch (text.Trim().ToLowerInvariant())
        {
            case "county" or "0": level = JurisdictionLevel.County; return true;
            case "township" or "1": level = JurisdictionLevel.Township; return true;
            case "village" or "2": level = JurisdictionLevel.Village; return true;
            case "grid" or "3": level = JurisdictionLevel.Grid; return true;
            default: return false;
        }
    }
}
