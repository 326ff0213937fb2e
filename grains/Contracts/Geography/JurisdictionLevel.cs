namespace CommandCenter.Geography;

/// <summary>Level of an area in the jurisdiction tree (网格化管理).</summary>
public enum JurisdictionLevel
{
    /// <summary>地级市 — the city (prefecture) above its counties, whose center (市域社会治理) sees them all.</summary>
    City = -1,

    /// <summary>区县 — the county or district.</summary>
    County = 0,

    /// <summary>乡镇街道 — township, town or urban street (level-1 grid).</summary>
    Township = 1,

    /// <summary>村社区 — village or community (level-2 grid).</summary>
    Village = 2,

    /// <summary>基础网格 — the basic grid (level-3).</summary>
    Grid = 3,
}
