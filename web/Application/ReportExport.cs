using System.Globalization;
using MiniExcelLibs;
using MiniExcelLibs.Attributes;

namespace CommandCenter.Web.Application;

/// <summary>One row of a report's sheet: an area, a day, week or month, a category or a source, with its figures.</summary>
public sealed class KpiRow
{
    [ExcelColumnName("名称")] public string Name { get; init; } = "";
    [ExcelColumnName("日期"), ExcelFormat("yyyy-MM-dd")] public DateTime? Day { get; init; }
    [ExcelColumnName("上报")] public long Reported { get; init; }
    [ExcelColumnName("受理")] public long Accepted { get; init; }
    [ExcelColumnName("不予受理")] public long Rejected { get; init; }
    [ExcelColumnName("合并")] public long Merged { get; init; }
    [ExcelColumnName("办结")] public long Closed { get; init; }
    [ExcelColumnName("按时办结")] public long ClosedOnTime { get; init; }
    [ExcelColumnName("网格办结")] public long ClosedAtGrid { get; init; }
    [ExcelColumnName("村级办结")] public long ClosedAtVillage { get; init; }
    [ExcelColumnName("镇级办结")] public long ClosedAtTownship { get; init; }
    [ExcelColumnName("县级及以上办结")] public long ClosedAbove { get; init; }
    [ExcelColumnName("超期(累计)")] public long EverOverdue { get; init; }
    [ExcelColumnName("督办")] public long Supervised { get; init; }
    [ExcelColumnName("上报上级")] public long Escalated { get; init; }
    [ExcelColumnName("转职能部门")] public long RoutedToDepartment { get; init; }
    [ExcelColumnName("重新办理")] public long Reopened { get; init; }
    [ExcelColumnName("满意")] public long RatedSatisfied { get; init; }
    [ExcelColumnName("一般")] public long RatedNeutral { get; init; }
    [ExcelColumnName("不满意")] public long RatedDissatisfied { get; init; }
    [ExcelColumnName("办结率"), ExcelFormat("0.00%")] public double? ClosureRate { get; init; }
    [ExcelColumnName("按时办结率"), ExcelFormat("0.00%")] public double? OnTimeRate { get; init; }
    [ExcelColumnName("就地办结率"), ExcelFormat("0.00%")] public double? OnTheSpotRate { get; init; }
    [ExcelColumnName("化解率"), ExcelFormat("0.00%")] public double? ResolutionRate { get; init; }
    [ExcelColumnName("满意率"), ExcelFormat("0.00%")] public double? Satisfaction { get; init; }
    [ExcelColumnName("受理用时中位数(工作小时)")] public double? MedianHoursToAccept { get; init; }
    [ExcelColumnName("办结用时中位数(工作小时)")] public double? MedianHoursToClose { get; init; }
    [ExcelColumnName("办结用时90%分位(工作小时)")] public double? P90HoursToClose { get; init; }
    [ExcelColumnName("未办结(当前)")] public long? OpenNow { get; init; }
    [ExcelColumnName("超期(当前)")] public long? OverdueNow { get; init; }

    public static KpiRow Of(StatsRow row, bool dated = false)
    {
        var (c, r) = (row.Counts, row.Rates);
        return new KpiRow
        {
            Name = row.Name,
            Day = dated && DateOnly.TryParseExact(row.Key, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                ? day.ToDateTime(TimeOnly.MinValue) : null,
            Reported = c.Reported, Accepted = c.Accepted, Rejected = c.Rejected, Merged = c.Merged, Closed = c.Closed,
            ClosedOnTime = c.ClosedOnTime, ClosedAtGrid = c.ClosedAtGrid, ClosedAtVillage = c.ClosedAtVillage,
            ClosedAtTownship = c.ClosedAtTownship, ClosedAbove = c.ClosedAbove, EverOverdue = c.EverOverdue, Supervised = c.Supervised,
            Escalated = c.Escalated, RoutedToDepartment = c.RoutedToDepartment, Reopened = c.Reopened, RatedSatisfied = c.RatedSatisfied,
            RatedNeutral = c.RatedNeutral, RatedDissatisfied = c.RatedDissatisfied,
            ClosureRate = r.ClosureRate, OnTimeRate = r.OnTimeRate, OnTheSpotRate = r.OnTheSpotRate, ResolutionRate = r.ResolutionRate,
            Satisfaction = r.Satisfaction,
            MedianHoursToAccept = row.ToAccept.MedianHours, MedianHoursToClose = row.ToClose.MedianHours, P90HoursToClose = row.ToClose.P90Hours,
            OpenNow = row.OpenNow, OverdueNow = row.OverdueNow,
        };
    }
}

/// <summary>The field forces' and the command's figures of a report's period, as the sheet 外勤与指挥 shows them: the area's, then each child's.</summary>
public sealed class FieldRow
{
    [ExcelColumnName("名称")] public string Name { get; init; } = "";
    [ExcelColumnName("应巡时段")] public long PatrolWindowsDue { get; init; }
    [ExcelColumnName("已巡时段")] public long PatrolWindowsDone { get; init; }
    [ExcelColumnName("巡查完成率"), ExcelFormat("0.00%")] public double? PatrolCompliance { get; init; }
    [ExcelColumnName("警情")] public long Alerts { get; init; }
    [ExcelColumnName("已签收")] public long AlertsAcknowledged { get; init; }
    [ExcelColumnName("超时上报")] public long AlertsEscalated { get; init; }
    [ExcelColumnName("签收用时中位数(分钟)")] public double? AlertAcknowledgeMedianMinutes { get; init; }
    [ExcelColumnName("收到指令")] public long InstructionsReceived { get; init; }
    [ExcelColumnName("指令按时签收率"), ExcelFormat("0.00%")] public double? InstructionsSignedOnTime { get; init; }
    [ExcelColumnName("指令签收用时中位数(分钟)")] public double? InstructionSignMedianMinutes { get; init; }
    [ExcelColumnName("指令回执用时中位数(分钟)")] public double? InstructionReportMedianMinutes { get; init; }
    [ExcelColumnName("被点名")] public long RollCallsCalled { get; init; }
    [ExcelColumnName("点名应答率"), ExcelFormat("0.00%")] public double? RollCallAnswerRate { get; init; }
    [ExcelColumnName("点名按时应答率"), ExcelFormat("0.00%")] public double? RollCallOnTimeRate { get; init; }
    [ExcelColumnName("点名响应用时中位数(秒)")] public double? RollCallResponseMedianSeconds { get; init; }

    public static FieldRow Of(string name, CommandCenter.Statistics.FieldFigures f) => new()
    {
        Name = name, PatrolWindowsDue = f.PatrolWindowsDue, PatrolWindowsDone = f.PatrolWindowsDone, PatrolCompliance = f.PatrolCompliance,
        Alerts = f.Alerts, AlertsAcknowledged = f.AlertsAcknowledged, AlertsEscalated = f.AlertsEscalated,
        AlertAcknowledgeMedianMinutes = f.AlertAcknowledgeMedianMinutes, InstructionsReceived = f.InstructionsReceived,
        InstructionsSignedOnTime = f.InstructionsSignedOnTime, InstructionSignMedianMinutes = f.InstructionSignMedianMinutes,
        InstructionReportMedianMinutes = f.InstructionReportMedianMinutes, RollCallsCalled = f.RollCallsCalled, RollCallAnswerRate = f.RollCallAnswerRate,
        RollCallOnTimeRate = f.RollCallOnTimeRate, RollCallResponseMedianSeconds = f.RollCallResponseMedianSeconds,
    };
}

/// <summary>The figures of a report, one sheet per table (概况, 外勤与指挥, 趋势, 下级, 类别, 来源) and its notable cases (重点案件): Chinese headers, names, dates as dates, rates as percentages, empty cells where a rate has no data.</summary>
public static class ReportExport
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>The workbook of a period: <paramref name="trend"/> for the area, its field figures and trend; the rows of its children (if any), categories and sources; its notable cases.</summary>
    public static byte[] Xlsx(StatsView trend, IReadOnlyList<StatsRow>? children, IReadOnlyList<StatsRow> categories, IReadOnlyList<StatsRow> sources,
        IReadOnlyList<IncidentRow> notable)
    {
        var sheets = new Dictionary<string, object>
        {
            ["概况"] = new List<KpiRow> { KpiRow.Of(trend.Total) },
            ["外勤与指挥"] = new[] { FieldRow.Of(trend.Name, trend.Field) }
                .Concat((children ?? []).Select(c => FieldRow.Of(c.Name, c.Field ?? CommandCenter.Statistics.FieldFigures.None))).ToList(),
            ["趋势"] = trend.Groups.Select(g => KpiRow.Of(g, dated: true)).ToList(),
        };
        if (children is not null)
            sheets["下级"] = children.Select(g => KpiRow.Of(g)).ToList();
        sheets["类别"] = categories.Select(g => KpiRow.Of(g)).ToList();
        sheets["来源"] = sources.Select(g => KpiRow.Of(g)).ToList();
        sheets["重点案件"] = notable;
        using var stream = new MemoryStream();
        stream.SaveAs(sheets);
        return stream.ToArray();
    }
}
