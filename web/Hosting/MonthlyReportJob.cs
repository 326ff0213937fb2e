using CommandCenter.Geography;
using CommandCenter.Jurisdictions;
using CommandCenter.Statistics;
using CommandCenter.Web.Application;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Hosting;

/// <summary>
/// Builds and stores the monthly report (月报) of each area that sends one (<see cref="MonthlyReports.Units"/>: every
/// township, and under a city every county) of the latest month due (<see cref="MonthlyReports.Latest"/>: last month
/// from the build day on): what the county (or city) receives by the 20th; a host that was down on the day builds it late. Looks every <see cref="MonthlyReportOptions.CheckInterval"/>; a report already
/// stored is kept (every web node may look; the first to store one wins). A failure is logged and tried again next time.
/// </summary>
public sealed class MonthlyReportJob(ReportService reports, StoredReportStore stored, JurisdictionDirectory directory,
    IOptions<MonthlyReportOptions> options, TimeProvider clock, ILogger<MonthlyReportJob> log) : BackgroundService
{
    /// <summary>Builds the reports due at <paramref name="now"/> that are not stored yet; returns how many it stored.</summary>
    public async Task<int> BuildDue(DateTimeOffset now)
    {
        if (directory.Tree is not { } tree)
            return 0;
        var month = MonthlyReports.Latest(ChinaTime.Day(now), options.Value.BuildDay);
        var units = MonthlyReports.Units(tree).Select(j => j.Code).ToList();
        var have = await stored.Of(units, MonthlyReports.Kind, month.Key);
        var built = 0;
        foreach (var unit in units.Where(t => !have.ContainsKey(t)))
        {
            var file = await reports.Xlsx(unit, ReportPeriodKind.Month, "month", month.Key);
            if (file.Value is { } workbook
                && await stored.Add(new StoredReport(unit, MonthlyReports.Kind, month.Key, workbook.FileName, now), workbook.Bytes))
                built++;
        }
        if (built > 0)
            log.LogInformation("Stored {Count} monthly reports of {Month}", built, month.Key);
        return built;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckInterval, clock);
        do
        {
            try
            {
                await BuildDue(clock.GetUtcNow());
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Building the monthly reports failed; trying again in {Interval}", options.Value.CheckInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
