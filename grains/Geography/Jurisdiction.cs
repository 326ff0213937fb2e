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
        JurisdictionLevel.City => "city",
        JurisdictionLevel.County => "county",
        JurisdictionLevel.Township => "township",
        JurisdictionLevel.Village => "village",
        JurisdictionLevel.Grid => "grid",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "unknown jurisdiction level"),
    };

    /// <summary>
    /// Parses "city" | "county" | "township" | "village" | "grid" (case-insensitive, surrounding blanks ignored), "0".."3"
    /// (county to grid), or the Chinese names a county's files use: 市, 地级市, 自治州; 县, 区, 县(区); 乡镇, 乡, 镇, 街道,
    /// 乡镇(街道); 村, 社区, 村(社区); 网格.
    /// </summary>
    public static bool TryParse(string? text, out JurisdictionLevel level)
    {
        level = default;
        if (text is null)
        {
            return false;
        }

        switch (text.Trim().ToLowerInvariant())
        {
            case "city" or "市" or "地级市" or "自治州": level = JurisdictionLevel.City; return true;
            case "county" or "0" or "县" or "区" or "县(区)" or "县（区）": level = JurisdictionLevel.County; return true;
            case "township" or "1" or "乡镇" or "乡" or "镇" or "街道" or "乡镇(街道)" or "乡镇（街道）": level = JurisdictionLevel.Township; return true;
            case "village" or "2" or "村" or "社区" or "村(社区)" or "村（社区）": level = JurisdictionLevel.Village; return true;
            case "grid" or "3" or "网格": level = JurisdictionLevel.Grid; return true;
            default: return false;
        }
    }
}
