using System.Text.Json;

namespace CommandCenter.Calendar;

/// <summary>A span of official days off (放假), both ends included.</summary>
public sealed record DaysOff(string Name, DateOnly From, DateOnly To);

/// <summary>A weekend day that is an official working day (调休上班).</summary>
public sealed record MakeUpDay(string Name, DateOnly Date);

/// <summary>
/// One year of the official holiday arrangement (国务院办公厅关于部分节假日安排的通知): its days off and make-up working
/// days. <see cref="Provisional"/> while the notice is not yet published and the year is estimated from the rules.
/// </summary>
public sealed record CalendarYear(int Year, string Source, bool Provisional, IReadOnlyList<DaysOff> DaysOff, IReadOnlyList<MakeUpDay> WorkingDays)
{
    /// <summary>The years shipped with the product (grains/Calendar/Years/*.json, one file per year).</summary>
    public static IReadOnlyList<CalendarYear> Shipped()
    {
        var assembly = typeof(CalendarYear).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith("calendar/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                return Parse(buffer.ToArray());
            })
            .ToList();
    }

    /// <summary>Reads and checks a year file.</summary>
    /// <exception cref="FormatException">Malformed JSON, or a year that contradicts itself; the message names the day or field.</exception>
    public static CalendarYear Parse(byte[] json)
    {
        CalendarYear? year;
        try
        {
            year = JsonSerializer.Deserialize<CalendarYear>(json, Json.Options);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Not a calendar year: {e.Message}", e);
        }
        if (year is null || year.Source is null || year.DaysOff is null || year.WorkingDays is null)
            throw new FormatException("A calendar year needs year, source, provisional, daysOff and workingDays.");
        year.Check();
        return year;
    }

    private void Check()
    {
        if (Year is < 2000 or > 2100)
            throw new FormatException($"year {Year} is out of range.");
        var off = new HashSet<DateOnly>();
        if (DaysOff.Any(span => span?.Name is null) || WorkingDays.Any(makeUp => makeUp?.Name is null))
            throw new FormatException("Every entry of daysOff and workingDays needs a name and its dates.");
        foreach (var span in DaysOff)
        {
            if (span.From > span.To || span.From.Year != Year || span.To.Year != Year)
                throw new FormatException($"daysOff {span.Name} {span.From:yyyy-MM-dd}..{span.To:yyyy-MM-dd} must run forwards within {Year}.");
            for (var day = span.From; day <= span.To; day = day.AddDays(1))
            {
                if (!off.Add(day))
                    throw new FormatException($"{day:yyyy-MM-dd} is in two spans of days off.");
            }
        }
        foreach (var makeUp in WorkingDays)
        {
            if (makeUp.Date.Year != Year)
                throw new FormatException($"workingDays {makeUp.Date:yyyy-MM-dd} is not in {Year}.");
            if (!IsWeekend(makeUp.Date))
                throw new FormatException($"workingDays {makeUp.Date:yyyy-MM-dd} is a weekday; make-up working days are weekend days.");
            if (off.Contains(makeUp.Date))
                throw new FormatException($"{makeUp.Date:yyyy-MM-dd} is both a day off and a make-up working day.");
        }
    }

    internal static bool IsWeekend(DateOnly day) => day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
}

/// <summary>
/// Working days in China Standard Time, and the deadlines counted in them (the SLA clock of the closed loop).
/// Rules: the day something arrives does not count; a deadline of N working days ends at 24:00 CST on the Nth working
/// day after that day; a deadline in weeks counts calendar days and, if it ends on a day off, moves to the end of the
/// next working day. A year without a file counts only weekends as days off (<see cref="IsKnown"/> says so).
/// </summary>
public sealed class WorkingCalendar
{
    private readonly Dictionary<int, CalendarYear> _years;
    private readonly HashSet<DateOnly> _daysOff = [];
    private readonly HashSet<DateOnly> _makeUpDays = [];

    public WorkingCalendar(IEnumerable<CalendarYear> years)
    {
        _years = years.ToDictionary(y => y.Year);
        foreach (var year in _years.Values)
        {
            foreach (var span in year.DaysOff)
            {
                for (var day = span.From; day <= span.To; day = day.AddDays(1))
                    _daysOff.Add(day);
            }
            foreach (var makeUp in year.WorkingDays)
                _makeUpDays.Add(makeUp.Date);
        }
    }

    /// <summary>Whether the official arrangement of the year is on file (possibly provisional).</summary>
    public bool IsKnown(int year) => _years.ContainsKey(year);

    public CalendarYear? Year(int year) => _years.GetValueOrDefault(year);

    public bool IsWorkingDay(DateOnly day) =>
        _makeUpDays.Contains(day) || (!_daysOff.Contains(day) && !CalendarYear.IsWeekend(day));

    /// <summary>The end (24:00 CST) of the <paramref name="workingDays"/>th working day after the day of <paramref name="arrival"/>.</summary>
    public DateTimeOffset WorkingDaysAfter(DateTimeOffset arrival, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workingDays);
        var day = ChinaDay(arrival);
        for (var counted = 0; counted < workingDays;)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day))
                counted++;
        }
        return EndOf(day);
    }

    /// <summary>
    /// The end (24:00 CST) of the day <paramref name="weeks"/> weeks after the day of <paramref name="arrival"/>,
    /// or of the next working day when that one is a day off.
    /// </summary>
    public DateTimeOffset WeeksAfter(DateTimeOffset arrival, int weeks)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(weeks);
        var day = ChinaDay(arrival).AddDays(7 * weeks);
        while (!IsWorkingDay(day))
            day = day.AddDays(1);
        return EndOf(day);
    }

    /// <summary>
    /// The hours from <paramref name="from"/> to <paramref name="to"/> that fall on working days (whole days of 24 hours
    /// on China's clock; days off count nothing): how long a case took, in the days deadlines are counted in.
    /// </summary>
    public double WorkingHoursBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
            return 0;
        var hours = 0.0;
        for (var day = ChinaDay(from); StartOf(day) < to; day = day.AddDays(1))
        {
            if (!IsWorkingDay(day))
                continue;
            var start = StartOf(day) > from ? StartOf(day) : from;
            var end = EndOf(day) < to ? EndOf(day) : to;
            hours += (end - start).TotalHours;
        }
        return hours;
    }

    private static DateOnly ChinaDay(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(ChinaTime.Offset).DateTime);

    private static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), ChinaTime.Offset);

    private static DateTimeOffset EndOf(DateOnly day) => new(day.AddDays(1).ToDateTime(TimeOnly.MinValue), ChinaTime.Offset);
}
