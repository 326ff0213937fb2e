using System.Globalization;
using CommandCenter.Calendar;

namespace CommandCenter.Incidents;

/// <summary>A deadline term: N working days ("5wd") or N weeks ("3w", calendar days that end on a working day).</summary>
public readonly record struct Term(int Count, bool Weeks)
{
    public static bool TryParse(string? text, out Term term)
    {
        term = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var weeks = text.EndsWith('w') && !text.EndsWith("wd", StringComparison.Ordinal);
        var digits = weeks ? text[..^1] : text.EndsWith("wd", StringComparison.Ordinal) ? text[..^2] : null;
        if (digits is null || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > 366)
            return false;
        term = new Term(count, weeks);
        return true;
    }

    public static Term Parse(string text) =>
        TryParse(text, out var term) ? term : throw new FormatException($"'{text}' is not a term: write N working days as \"5wd\" or N weeks as \"3w\".");

    /// <summary>When a step that starts at <paramref name="arrival"/> is due, by the working-day counting rule.</summary>
    public DateTimeOffset DueAfter(DateTimeOffset arrival, WorkingCalendar calendar) =>
        Weeks ? calendar.WeeksAfter(arrival, Count) : calendar.WorkingDaysAfter(arrival, Count);

    public override string ToString() => Weeks ? $"{Count}w" : $"{Count}wd";
}

/// <summary>
/// The closed loop's settings (section CommandCenter:Workflow). The defaults are the seeds': 制单 and 接单 within 1
/// working day; handling 5 (easy disputes), 7 (12345 tickets, ordinary disputes) or 30 (hard cases) working days;
/// petitions 3 working days (simple) or 3 weeks (complex).
/// </summary>
public sealed class WorkflowOptions
{
    public string Ticket { get; set; } = "1wd";
    public string Accept { get; set; } = "1wd";
    public string Feedback { get; set; } = "1wd";
    public string Supervision { get; set; } = "1wd";

    /// <summary>Handling classes (chosen when the ticket is made) and their handling terms.</summary>
    public Dictionary<string, string> HandlingClasses { get; set; } = new(StringComparer.Ordinal)
    {
        ["easy"] = "5wd",
        ["ordinary"] = "7wd",
        ["hard"] = "30wd",
        ["petitionSimple"] = "3wd",
        ["petitionComplex"] = "3w",
    };

    /// <summary>The class a ticket gets when its maker names none, by source (JSON word); any other source gets <see cref="DefaultClass"/>.</summary>
    public Dictionary<string, string> ClassBySource { get; set; } = new(StringComparer.Ordinal)
    {
        ["petition"] = "petitionSimple",
    };

    public string DefaultClass { get; set; } = "ordinary";

    /// <summary>How often a dissatisfied rating reopens the case before it goes to the level above.</summary>
    public int MaxReopens { get; set; } = 2;

    /// <summary>Duplicate proposals at verification: same category within this distance …</summary>
    public double DuplicateRadiusMeters { get; set; } = 200;

    /// <summary>… and this time of each other.</summary>
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The period of the deadline sweep's reminder, which brings the sweep back on some silo after a failure or a restart.</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the deadline sweep looks for cases whose review time has come: how late a deadline is noticed at most.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>The SLA table: the term of every step, for a handling class. Built from <see cref="WorkflowOptions"/>, which it validates.</summary>
public sealed class SlaTable
{
    private readonly Dictionary<DeadlineStep, Term> _steps;
    private readonly Dictionary<string, Term> _classes;
    private readonly WorkflowOptions _options;

    public SlaTable(WorkflowOptions options)
    {
        _options = options;
        _steps = new()
        {
            [DeadlineStep.Ticket] = Term.Parse(options.Ticket),
            [DeadlineStep.Accept] = Term.Parse(options.Accept),
            [DeadlineStep.Feedback] = Term.Parse(options.Feedback),
            [DeadlineStep.Supervision] = Term.Parse(options.Supervision),
        };
        _classes = options.HandlingClasses.ToDictionary(c => c.Key, c => Term.Parse(c.Value), StringComparer.Ordinal);
        foreach (var name in options.ClassBySource.Values.Append(options.DefaultClass))
        {
            if (!_classes.ContainsKey(name))
                throw new InvalidOperationException($"CommandCenter:Workflow names the handling class '{name}', which HandlingClasses does not define.");
        }
    }

    public IReadOnlyCollection<string> Classes => _classes.Keys;

    public bool IsClass(string name) => _classes.ContainsKey(name);

    /// <summary>The class of a ticket whose maker named none.</summary>
    public string DefaultClassFor(IncidentSource source) =>
        _options.ClassBySource.GetValueOrDefault(Json.Word(source)) ?? _options.DefaultClass;

    /// <summary>The term of <paramref name="step"/>; the handling step's depends on <paramref name="handlingClass"/>.</summary>
    public Term TermOf(DeadlineStep step, string? handlingClass) =>
        step == DeadlineStep.Handle ? _classes[handlingClass ?? _options.DefaultClass] : _steps[step];

    public Deadline Due(DeadlineStep step, string? handlingClass, DateTimeOffset arrival, WorkingCalendar calendar) =>
        new(step, TermOf(step, handlingClass).DueAfter(arrival, calendar));
}
