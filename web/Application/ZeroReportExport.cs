using CommandCenter.Geography;
using CommandCenter.ZeroReports;
using MiniExcelLibs;

namespace CommandCenter.Web.Application;

/// <summary>
/// A period's zero-reports as a table people open in a spreadsheet: a row per unit and day, Chinese headers, names
/// (never codes), times in China Standard Time. CSV as <see cref="Application.Csv"/> writes it (UTF-8 with a
/// byte-order mark, every field quoted, a field a spreadsheet would take for a formula made text); Excel cells are
/// written as text.
/// </summary>
public static class ZeroReportExport
{
    public static readonly IReadOnlyList<string> Headers =
        ["日期", "乡镇(街道)", "单位", "层级", "截止时间", "状态", "报送时间", "报送人", "代报", "零报告", "情况说明", "关联事件", "催报时间"];

    public static byte[] Csv(IReadOnlyList<UnitReport> units) => Application.Csv.Write(Headers, Rows(units));

    public static byte[] Xlsx(IReadOnlyList<UnitReport> units)
    {
        var rows = Rows(units).Select(row => Headers.Zip(row).ToDictionary(p => p.First, p => (object)p.Second)).ToList();
        using var stream = new MemoryStream();
        stream.SaveAs(rows, sheetName: "零报告");
        return stream.ToArray();
    }

    private static IEnumerable<IReadOnlyList<string>> Rows(IReadOnlyList<UnitReport> units) => units.Select(u => (IReadOnlyList<string>)
    [
        u.Date.ToString(ZeroReportFormats.Day),
        u.Level == JurisdictionLevel.Township ? u.Name : u.ParentName ?? "",
        u.Name,
        u.Level == JurisdictionLevel.Township ? "乡镇(街道)" : "村(社区)",
        ChinaTime.Of(u.Deadline).ToString("HH:mm"),
        StateWord(u.State),
        u.ReportedAt is { } at ? ChinaTime.Of(at).ToString("yyyy-MM-dd HH:mm:ss") : "",
        u.ReportedByName ?? "",
        u.Report is null ? "" : u.OnBehalf ? "是" : "否",
        u.Nothing switch { true => "是", false => "否", null => "" },
        u.Note ?? "",
        string.Join(";", u.Incidents.Select(i => i.Title)),
        u.RemindedAt is { } reminded ? ChinaTime.Of(reminded).ToString("yyyy-MM-dd HH:mm:ss") : "",
    ]);

    public static string StateWord(ZeroReportState state) => state switch
    {
        ZeroReportState.OnTime => "按时报送",
        ZeroReportState.Late => "迟报",
        ZeroReportState.Pending => "待报",
        _ => "未报",
    };
}
