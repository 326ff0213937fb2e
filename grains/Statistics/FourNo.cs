namespace CommandCenter.Statistics;

/// <summary>What a village's year holds for the four-no test: litigation (recorded by hand), cases by kind, disputes not yet closed.</summary>
public sealed record VillageYear(string Code, long? LitigationCases, long CriminalCases, long PublicSecurityCases, long DisputeBacklog);

/// <summary>A village's four flags (无诉讼、无刑事案件、无治安案件、无矛盾纠纷积案) and whether it has all four.</summary>
public sealed record FourNoFlags(string Code, bool NoLitigation, bool NoCriminalCase, bool NoPublicSecurityCase, bool NoDisputeBacklog)
{
    public bool AllFour => NoLitigation && NoCriminalCase && NoPublicSecurityCase && NoDisputeBacklog;
}

/// <summary>How many of an area's villages have each flag and all four, and the shares of its villages (null without villages).</summary>
public sealed record FourNoCounts(int Villages, int NoLitigation, int NoCriminalCase, int NoPublicSecurityCase, int NoDisputeBacklog, int AllFour)
{
    public double? AllFourShare => Villages == 0 ? null : (double)AllFour / Villages;
}

/// <summary>
/// 四无村, plain code. No litigation: no case recorded for the village's year (a village nobody recorded counts as
/// without, and says so as <see cref="VillageYear.LitigationCases"/> null); no criminal case and no public-security
/// case: no case of a category counting as criminal, or as public security, accepted in the year; no dispute backlog:
/// every dispute accepted up to the year's end (or today, in the current year) closed by then.
/// </summary>
public static class FourNo
{
    public static FourNoFlags Flags(VillageYear v) =>
        new(v.Code, (v.LitigationCases ?? 0) == 0, v.CriminalCases == 0, v.PublicSecurityCases == 0, v.DisputeBacklog <= 0);

    public static FourNoCounts Count(IReadOnlyCollection<FourNoFlags> villages) => new(
        villages.Count,
        villages.Count(v => v.NoLitigation),
        villages.Count(v => v.NoCriminalCase),
        villages.Count(v => v.NoPublicSecurityCase),
        villages.Count(v => v.NoDisputeBacklog),
        villages.Count(v => v.AllFour));
}
