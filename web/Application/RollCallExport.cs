using CommandCenter.RollCalls;

namespace CommandCenter.Web.Application;

/// <summary>A roll call's report as a table people open in a spreadsheet: a row per called station, Chinese headers, names, times in China Standard Time (CSV as <see cref="Application.Csv"/> writes it).</summary>
public static class RollCallExport
{
    public static readonly IReadOnlyList<string> Headers =
        ["点名", "发起人", "发起时间", "应答时限(秒)", "乡镇(街道)", "单位", "送达时间", "首帧时间", "响应(秒)", "结果"];

    public static byte[] Csv(RollCallView view) => Application.Csv.Write(Headers, view.Stations.Select(s => (IReadOnlyList<string?>)
    [
        view.Title,
        view.StartedByName,
        Time(view.StartedAt),
        view.AnswerWithin.ToString(System.Globalization.CultureInfo.InvariantCulture),
        s.ParentName ?? s.Name,
        s.Name,
        s.DeliveredAt is { } delivered ? Time(delivered) : "",
        s.AnsweredAt is { } answered ? Time(answered) : "",
        s.ResponseSeconds?.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) ?? "",
        OutcomeWord(s.Outcome),
    ]));

    public static string OutcomeWord(RollCallOutcome outcome) => outcome switch
    {
        RollCallOutcome.OnTime => "按时应答",
        RollCallOutcome.Late => "迟到应答",
        RollCallOutcome.NotAnswered => "未应答",
        RollCallOutcome.Offline => "离线",
        _ => "待应答",
    };

    private static string Time(DateTimeOffset at) => ChinaTime.Of(at).ToString("yyyy-MM-dd HH:mm:ss");
}
