using CommandCenter.Access;
using CommandCenter.Calendar;
using CommandCenter.Web.Access;
using CommandCenter.Web.Application;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommandCenter.Web.Api;

/// <summary>The working-day calendar over HTTP.</summary>
public static class CalendarApi
{
    public static IEndpointRouteBuilder MapCalendarApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/calendar", "Calendar");
        api.MapGet("/", async Task<Ok<IReadOnlyList<CalendarYear>>> (CalendarYearService calendar) => TypedResults.Ok(await calendar.Years()))
            .WithName("ListCalendarYears")
            .WithSummary("Every year on file: source, provisional or not, days off and make-up working days.")
            .RequireAccess(AccessAction.ViewCalendar, AccessTarget.Anywhere);
        api.MapPut("/{year:int}", Save)
            .WithName("SaveCalendarYear")
            .WithSummary("Replace a year (for example when the State Council publishes the next year's notice): "
                + "{ year, source, provisional, daysOff: [{ name, from, to }], workingDays: [{ name, date }] }.")
            .Accepts<CalendarYear>("application/json")
            .ProducesValidationProblem()
            .RequireAccess(AccessAction.ManageCalendar, AccessTarget.County);
        return app;
    }

    /// <remarks>The file is kept as sent (the calendar stores its text), so it is read as bytes rather than bound.</remarks>
    private static async Task<Results<Ok<CalendarYear>, ValidationProblem, ProblemHttpResult>> Save(int year, HttpContext http,
        CalendarYearService calendar, CancellationToken cancellationToken)
    {
        if (!http.Request.HasJsonContentType())
            return Refusal.Invalid("$", "Send the body as application/json.").ToValidationProblem();
        var file = await RequestBody.ReadBytes(http.Request, CalendarYearService.MaxBodyBytes, cancellationToken);
        return await file.Then(bytes => calendar.Save(http.Actor(), year, bytes)).Answer(TypedResults.Ok);
    }
}
