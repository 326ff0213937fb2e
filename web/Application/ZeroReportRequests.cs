using System.Globalization;
using CommandCenter.Geography;
using CommandCenter.ZeroReports;

namespace CommandCenter.Web.Application;

/// <summary>Days and times of day as the zero-report's requests and queries write them (China Standard Time).</summary>
public static class ZeroReportFormats
{
    public const string Day = "yyyy-MM-dd";
    public const string TimeOfDay = "HH:mm";

    /// <summary>A day as YYYY-MM-DD (null when empty), or null with an error for <paramref name="field"/>.</summary>
    public static DateOnly? ReadDay(string field, string? text, IDictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        if (DateOnly.TryParseExact(text, Day, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return day;
        errors[field] = ["A day as YYYY-MM-DD (China Standard Time)."];
        return null;
    }

    /// <summary>A required day of a request body.</summary>
    public static DateOnly? ReadDay(JsonFields body, string field)
    {
        var text = body.Text(field, 10, required: true);
        if (string.IsNullOrEmpty(text))
            return null;
        var errors = new Dictionary<string, string[]>();
        var day = ReadDay(field, text, errors);
        foreach (var (name, messages) in errors)
            body.Fail(name, messages[0]);
        return day;
    }
}

/// <summary>
/// A sensitive period (敏感时期): <c>{ name, from, to, levels: [township | village], deadline?: "HH:mm" (10:00), workingDaysOnly? (false) }</c>;
/// days as YYYY-MM-DD and the deadline as a time of day, China Standard Time.
/// </summary>
public sealed record SensitivePeriodRequest(string Name, DateOnly From, DateOnly To, IReadOnlyList<JurisdictionLevel> Levels, TimeOnly Deadline,
    bool WorkingDaysOnly) : IRequestContract<SensitivePeriodRequest>
{
    public static int MaxBytes => 4 * 1024;

    public static SensitivePeriodRequest Read(JsonFields body)
    {
        var name = body.Text("name", ZeroReportRules.MaxNameLength, required: true);
        var from = ZeroReportFormats.ReadDay(body, "from");
        var to = ZeroReportFormats.ReadDay(body, "to");
        var levels = new List<JurisdictionLevel>();
        var words = body.EnumList<JurisdictionLevel>("levels");
        for (var i = 0; i < (words?.Count ?? 0); i++)
        {
            if (!EnumWords.TryParse<JurisdictionLevel>(words![i], out var level))
                continue; // named already
            if (ZeroReportRules.ReportingLevels.Contains(level))
                levels.Add(level);
            else
                body.Fail($"levels[{i}]", "township or village: the stations report.");
        }
        if (words is { Count: 0 })
            body.Fail("levels", "Name at least one level: township, village.");
        var deadline = ZeroReportRules.DefaultDeadline;
        if (body.Has("deadline"))
        {
            var text = body.Text("deadline", 5, required: true);
            if (!TimeOnly.TryParseExact(text, ZeroReportFormats.TimeOfDay, CultureInfo.InvariantCulture, DateTimeStyles.None, out deadline)
                || deadline == TimeOnly.MinValue)
                body.Fail("deadline", "A time of day as HH:mm (China Standard Time), from 00:01 to 23:59.");
        }
        var workingDaysOnly = body.Has("workingDaysOnly") && body.Boolean("workingDaysOnly") == true;
        return new(name ?? "", from ?? default, to ?? default, levels.Distinct().ToList(), deadline, workingDaysOnly);
    }
}

/// <summary>
/// A unit's report of a day (零报告): <c>{ jurisdiction, date: YYYY-MM-DD (CST), nothing, note?, incidents?: [ids] }</c>;
/// <c>nothing: true</c> is "nothing to report", otherwise the note and the linked incidents say what the unit knows of.
/// </summary>
public sealed record ZeroReportRequest(string Jurisdiction, DateOnly Date, bool Nothing, string Note, IReadOnlyList<Guid> Incidents)
    : IRequestContract<ZeroReportRequest>
{
    public static int MaxBytes => 16 * 1024;

    public static ZeroReportRequest Read(JsonFields body)
    {
        var jurisdiction = body.Text("jurisdiction", 64, required: true);
        var date = ZeroReportFormats.ReadDay(body, "date");
        var nothing = body.Boolean("nothing");
        var note = body.Has("note") ? body.Text("note", ZeroReportRules.MaxNoteLength, required: false) : null;
        var incidents = body.Has("incidents") ? body.Guids("incidents", ZeroReportRules.MaxIncidents) ?? [] : [];
        return new(jurisdiction ?? "", date ?? default, nothing ?? false, note ?? "", incidents.Distinct().ToList());
    }
}
