using CommandCenter.Categories;
using CommandCenter.Geography;
using CommandCenter.Incidents;
using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;

namespace CommandCenter.Web.Application;

/// <summary>
/// One incident as a row of a sheet: names (never codes), the areas it lies in, times in China Standard Time as
/// dates. <see cref="Notable"/> is shown only on a report's sheet of notable cases (重点案件).
/// </summary>
public sealed class IncidentRow
{
    [ExcelColumnName("重点类型")] public string Notable { get; init; } = "";
    [ExcelColumnName("标题")] public string Title { get; init; } = "";
    [ExcelColumnName("类别")] public string Category { get; init; } = "";
    [ExcelColumnName("来源")] public string Source { get; init; } = "";
    [ExcelColumnName("状态")] public string Status { get; init; } = "";
    [ExcelColumnName("乡镇(街道)")] public string Township { get; init; } = "";
    [ExcelColumnName("村(社区)")] public string Village { get; init; } = "";
    [ExcelColumnName("网格")] public string Grid { get; init; } = "";
    [ExcelColumnName("承办")] public string Assignee { get; init; } = "";
    [ExcelColumnName("上报时间"), ExcelFormat("yyyy-MM-dd HH:mm")] public DateTime ReportedAt { get; init; }
    [ExcelColumnName("更新时间"), ExcelFormat("yyyy-MM-dd HH:mm")] public DateTime UpdatedAt { get; init; }
    [ExcelColumnName("当前时限"), ExcelFormat("yyyy-MM-dd HH:mm")] public DateTime? Due { get; init; }
    [ExcelColumnName("当前超期")] public string Overdue { get; init; } = "";
    [ExcelColumnName("督办")] public string Supervision { get; init; } = "";
    [ExcelColumnName("曾超期")] public string EverOverdue { get; init; } = "";
    [ExcelColumnName("重新办理次数")] public int Reopens { get; init; }
    [ExcelColumnName("评价")] public string Rating { get; init; } = "";
    [ExcelColumnName("办结时间"), ExcelFormat("yyyy-MM-dd HH:mm")] public DateTime? FirstClosedAt { get; init; }

    public static IncidentRow Of(IncidentDetails i, JurisdictionTree tree, CategoryList categories, string notable = "") => new()
    {
        Notable = notable, Title = i.Title, Category = categories.FullName(i.Category), Source = IncidentSources.Name(i.Source),
        Status = IncidentNames.Of(i.Status), Township = AreaOn(i, tree, JurisdictionLevel.Township), Village = AreaOn(i, tree, JurisdictionLevel.Village),
        Grid = tree.NameOf(i.GridCode), Assignee = i.Assignee?.Name ?? "", ReportedAt = China(i.ReportedAt), UpdatedAt = China(i.UpdatedAt),
        Due = i.Deadline is { } deadline ? China(deadline.Due) : null, Overdue = YesNo(i.Overdue),
        Supervision = i.Supervision is { } s ? $"第{s.Round}轮" : "", EverOverdue = YesNo(i.EverOverdue), Reopens = i.Reopens,
        Rating = i.Rating is { } rating ? IncidentNames.Of(rating) : "", FirstClosedAt = i.FirstClosedAt is { } closed ? China(closed) : null,
    };

    /// <summary>The name of the area of <paramref name="level"/> on the incident's path, or empty (a grid under a township directly, say).</summary>
    private static string AreaOn(IncidentDetails incident, JurisdictionTree tree, JurisdictionLevel level) =>
        incident.Path.Select(tree.Find).FirstOrDefault(j => j?.Level == level)?.Name ?? "";

    private static DateTime China(DateTimeOffset at) => ChinaTime.Of(at).DateTime;

    private static string YesNo(bool value) => value ? "是" : "否";
}

/// <summary>What an exported list was filtered by, and how many rows it has (the sheet 筛选条件).</summary>
public sealed class ListConditionRow
{
    [ExcelColumnName("项目")] public string Name { get; init; } = "";
    [ExcelColumnName("内容")] public string Value { get; init; } = "";
}

/// <summary>Incident lists as Excel workbooks: the list's sheet (事件) and what it was filtered by (筛选条件).</summary>
public static class IncidentExport
{
    /// <summary>A list without the column 重点类型, which only a report's notable cases fill.</summary>
    private static readonly OpenXmlConfiguration ListColumns = new()
    {
        DynamicColumns = [new DynamicExcelColumn(nameof(IncidentRow.Notable)) { Ignore = true }],
    };

    public static byte[] Xlsx(IReadOnlyList<IncidentRow> rows, IReadOnlyList<ListConditionRow> conditions)
    {
        var sheets = new Dictionary<string, object> { ["事件"] = rows, ["筛选条件"] = conditions };
        using var stream = new MemoryStream();
        stream.SaveAs(sheets, configuration: ListColumns);
        return stream.ToArray();
    }
}
