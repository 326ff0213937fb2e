using System.Globalization;
using CommandCenter.Access;
using CommandCenter.Calendar;

namespace CommandCenter.Web.Application;

/// <summary>The working-day calendar deadlines are counted in: the official days off and make-up working days per year.</summary>
public sealed class CalendarYearService(CalendarService calendar, AuditLog audit)
{
    public const int MaxBodyBytes = 64 * 1024;

    public Task<IReadOnlyList<CalendarYear>> Years() => calendar.Years();

    /// <summary>Replaces a year from its file (for example when the State Council publishes the next year's notice).</summary>
    public async Task<Outcome<CalendarYear>> Save(Actor actor, int year, byte[] file)
    {
        CalendarYear parsed;
        try
        {
            parsed = CalendarYear.Parse(file);
        }
        catch (FormatException e)
        {
            return Refusal.Invalid("$", e.Message);
        }
        if (parsed.Year != year)
            return Refusal.Invalid("year", $"The body is the calendar of {parsed.Year}, the address says {year}.");
        await calendar.Save(parsed, file, actor.Caller.Id);
        await audit.Append(actor.Caller, AuditActions.SaveCalendarYear, year.ToString(CultureInfo.InvariantCulture),
            detail: $"{(parsed.Provisional ? "provisional" : "official")} · {parsed.DaysOff.Count} spans off · "
                + $"{parsed.WorkingDays.Count} make-up days · {parsed.Source}",
            clientAddress: actor.ClientAddress);
        return parsed;
    }
}
