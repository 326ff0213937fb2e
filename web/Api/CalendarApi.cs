using CommandCenter.Access;
using CommandCenter.Calendar;
using CommandCenter.Web.Access;

namespace CommandCenter.Web.Api;

/// <summary>The working-day calendar deadlines are counted in: the official days off and make-up working days per year.</summary>
public static class CalendarApi
{
    public const int MaxBodyBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapCalendarApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/calendar").WithTags("Calendar");
        api.MapGet("/", async (CalendarService calendar) => TypedResults.Ok(await calendar.Years()))
            .WithName("ListCalendarYears")
            .WithSummary("Every year on file: source, provisional or not, days off and make-up working days.")
            .Produces<IReadOnlyList<CalendarYear>>()
            .RequireAccess(AccessAction.ViewCalendar, AccessTarget.Anywhere);
        api.MapPut("/{year:int}", Save)
            .WithName("SaveCalendarYear")
            .WithSummary("Replace a year (for example when the State Council publishes the next year's notice): "
                + "{ year, source, provisional, daysOff: [{ name, from, to }], workingDays: [{ name, date }] }.")
            .Accepts<CalendarYear>("application/json")
            .Produces<CalendarYear>()
            .ProducesValidationProblem()
            .RequireAccess(AccessAction.ManageCalendar, AccessTarget.County)
            .DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> Save(int year, HttpContext http, CalendarService calendar, AuditLog audit, CancellationToken cancellationToken)
    {
        if (!http.Request.HasJsonContentType())
            return Problems.Validation("$", "Send the body as application/json.");
        var (bytes, error) = await RequestBody.ReadBytes(http.Request, MaxBodyBytes, cancellationToken);
        if (bytes is null)
            return error!;
        CalendarYear parsed;
        try
        {
            parsed = CalendarYear.Parse(bytes);
        }
        catch (FormatException e)
        {
            return Problems.Validation("$", e.Message);
        }
        if (parsed.Year != year)
            return Problems.Validation("year", $"The body is the calendar of {parsed.Year}, the address says {year}.");

        var caller = http.Caller()!;
        await calendar.Save(parsed, bytes, caller.Id);
        await audit.Append(caller, AuditActions.SaveCalendarYear, year.ToString(System.Globalization.CultureInfo.InvariantCulture),
            detail: $"{(parsed.Provisional ? "provisional" : "official")} · {parsed.DaysOff.Count} spans off · {parsed.WorkingDays.Count} make-up days · {parsed.Source}",
            clientAddress: http.ClientAddress());
        return TypedResults.Ok(parsed);
    }
}
