using CommandCenter.Access;
using CommandCenter.Alerts;
using CommandCenter.Calendar;
using CommandCenter.Categories;
using CommandCenter.Geography;
using CommandCenter.Incidents;
using CommandCenter.Jurisdictions;
using CommandCenter.Statistics;
using Npgsql;

namespace CommandCenter.Demo;

/// <summary>What <see cref="DemoHistory.Write"/> wrote.</summary>
public sealed record DemoHistoryFigures(int Incidents, long Events, int Open, TimeSpan Took);

/// <summary>
/// A past for the county in the database: <c>count</c> incidents reported from the first day to the last, spread over
/// its grids, categories and sources, each worked round the closed loop as its people would have worked it. Every
/// step is <see cref="CaseRules.Plan"/>'s answer to a command of the duty officer, a station, a grid worker, a
/// department or the citizen (a refusal stops the generator: it writes only what the product would have allowed);
/// a deadline passed before the next step is recorded as the deadline sweep records it (<see cref="Deadlines.Record"/>);
/// what each event adds to the statistics is <see cref="StatFacts"/>' answer. The histories are written by the
/// incident commit's own statements (<see cref="IncidentCommits.Statements"/>: events, read-model rows, alerts and
/// their signing, statistics), a thousand incidents a batch, without feed entries (the walls' live feed, which no
/// period reads) and without audit rows (nobody signed in to do these). The one statement of its own signs the patrol
/// officers' alerts of a batch a few minutes after they were raised, or sends the late ones up at their due time, as
/// the officers and the alert sweep would have. Cases whose next step would come after the last moment stay open
/// there. Deterministic for a seed, but for the incident ids.
/// </summary>
public sealed class DemoHistory(NpgsqlDataSource db, AlertOptions alertOptions)
{
    private const int Batch = 1000;

    private static readonly Caller Department = new(Caller.UserId("dept"), "住建局", Role.Department, []);

    /// <summary>The sources of the reports, most from grid workers (巡查上报), as in the seeds.</summary>
    private static readonly (IncidentSource Source, double Share)[] Sources =
    [
        (IncidentSource.GridWorker, 0.62), (IncidentSource.Hotline12345, 0.14), (IncidentSource.MiniProgram, 0.10),
        (IncidentSource.Petition, 0.04), (IncidentSource.CameraAlarm, 0.06), (IncidentSource.Police, 0.04),
    ];

    public async Task<DemoHistoryFigures> Write(int count, DateTimeOffset first, DateTimeOffset last, int seed, IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var started = DateTimeOffset.UtcNow;
        var registry = await new JurisdictionStore(db).Load();
        var tree = registry.Tree ?? throw new InvalidOperationException("No county has been imported.");
        var (_, categories) = await new CategoryStore(db).Load();
        var county = new County(tree, registry.Workers, categories, await new CalendarService(db, TimeProvider.System).Current());
        var random = new Random(seed);
        // Instants as the product's clock gives them (UTC), which is how events are stored.
        (first, last) = (first.ToUniversalTime(), last.ToUniversalTime());
        var span = last - first;
        long events = 0;
        var open = 0;
        var written = 0;
        Task pending = Task.CompletedTask;
        while (written < count)
        {
            var size = Math.Min(Batch, count - written);
            var cases = new List<Case>(size);
            for (var i = 0; i < size; i++)
            {
                var at = WholeSecond(first + span * ((written + i + random.NextDouble()) / count));
                var story = county.Work(random, at, last, cases.Count > 0 ? cases[^1] : null);
                cases.Add(story);
                events += story.Events.Count;
                if (story.History.Details!.ClosedAt is null)
                    open++;
            }
            await pending;
            pending = WriteBatch(cases, cancellationToken);
            written += size;
            progress?.Report(written);
        }
        await pending;
        return new DemoHistoryFigures(count, events, open, DateTimeOffset.UtcNow - started);
    }

    /// <summary>Instants to the second: what is stored (microseconds) folds to exactly what was generated.</summary>
    private static DateTimeOffset WholeSecond(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    private async Task WriteBatch(List<Case> cases, CancellationToken cancellationToken)
    {
        var commits = cases.Select(c => new IncidentCommit(c.Id, c.Events, c.History.Details!, [], null, c.Stats)).ToList();
        await using var batch = db.CreateBatch();
        foreach (var statement in IncidentCommits.Statements(commits, alertOptions))
            batch.BatchCommands.Add(statement);
        var signing = new NpgsqlBatchCommand("""
            UPDATE cc_alert a SET
                acknowledged_at = CASE WHEN s.late THEN NULL ELSE a.created_at + s.after END,
                delivered_at = a.created_at + s.after / 2,
                escalated_at = CASE WHEN s.late THEN a.due_at END
            FROM unnest($1::uuid[], $2::interval[], $3::bool[]) AS s(i, after, late)
            WHERE a.incident_id = s.i AND a.acknowledged_at IS NULL
            """);
        signing.Parameters.Add(new() { Value = cases.Select(c => c.Id).ToArray() });
        signing.Parameters.Add(new() { Value = cases.Select(c => c.AlertSignedAfter).ToArray() });
        signing.Parameters.Add(new() { Value = cases.Select(c => c.AlertLate).ToArray() });
        batch.BatchCommands.Add(signing);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>One incident's history as it is generated: its events, what each adds to the statistics, its state.</summary>
    private sealed class Case(Guid id, WorkingCalendar calendar)
    {
        public Guid Id { get; } = id;
        public IncidentHistory History { get; private set; } = IncidentHistory.Empty;
        public List<IncidentEvent> Events { get; } = [];
        public List<StatChange> Stats { get; } = [];
        public TimeSpan AlertSignedAfter { get; set; }
        public bool AlertLate { get; set; }

        public void Record(IReadOnlyList<IncidentEvent> events)
        {
            var (after, changes) = StatFacts.Fold(History, Id, events, calendar);
            History = after;
            Stats.AddRange(changes);
            Events.AddRange(events);
        }
    }

    /// <summary>The county's grids, people and rules, and how one case of it goes.</summary>
    private sealed class County
    {
        private readonly List<(Jurisdiction Grid, IReadOnlyList<string> Path, double Latitude, double Longitude)> _grids;
        private readonly ILookup<string, WorkerRecord> _workers;
        private readonly Dictionary<string, string> _gridOfWorker;
        private readonly string[] _categories;
        private readonly WorkingCalendar _calendar;
        private readonly SlaTable _sla = new(new WorkflowOptions());
        private readonly int _maxReopens = new WorkflowOptions().MaxReopens;
        private readonly Caller _duty;

        public County(JurisdictionTree tree, IReadOnlyList<WorkerRecord> workers, CategoryList categories, WorkingCalendar calendar)
        {
            _grids = tree.All.Where(j => j.Level == JurisdictionLevel.Grid).Select(g =>
            {
                var point = g.Geometry.InteriorPoint;
                return (g, tree.PathToRoot(g.Code), point.Y, point.X);
            }).ToList();
            var gridWorkers = workers.Where(w => w.Role == WorkerRole.GridWorker).ToList();
            _workers = gridWorkers.ToLookup(w => w.GridCode);
            _gridOfWorker = gridWorkers.ToDictionary(w => w.Id, w => w.GridCode);
            // Categories without children: the ones a report is filed under.
            _categories = categories.All.Where(c => c.Active && !categories.All.Any(o => o.Parent == c.Code)).Select(c => c.Code).ToArray();
            _calendar = calendar;
            _duty = new Caller(Caller.UserId("duty"), "值班员", Role.DutyOfficer, [tree.Root.Code]);
        }

        public Case Work(Random random, DateTimeOffset reportedAt, DateTimeOffset last, Case? previous)
        {
            var (grid, path, latitude, longitude) = _grids[random.Next(_grids.Count)];
            var source = Pick(random);
            var worker = _workers[grid.Code].OrderBy(_ => random.Next()).FirstOrDefault();
            var reporter = source == IncidentSource.GridWorker && worker is not null ? WorkerCaller(worker, path) : null;
            var story = new Case(Guid.NewGuid(), _calendar);
            var category = _categories[random.Next(_categories.Length)];
            var report = new ReportIncident(source, category, $"{grid.Name}{CategoryCodes.ParentOf(category) ?? category}", "", latitude, longitude,
                reporter?.Name, grid.Code, path, reporter?.Id ?? Caller.UserId("intake"), reporter?.Role.ToString());
            story.Record([IncidentHistory.NewReport(report, reportedAt, _sla.Due(DeadlineStep.Ticket, null, reportedAt, _calendar))]);
            story.AlertSignedAfter = TimeSpan.FromSeconds(random.Next(20, 900));
            story.AlertLate = random.NextDouble() < 0.04;

            var at = reportedAt;
            // Each step a while after the one before; false (the case stays where it is) when that is past the last moment.
            Step act = (caller, action, minHours, maxHours, target, rating, into) =>
            {
                var next = WholeSecond(at + TimeSpan.FromHours(minHours + (maxHours - minHours) * random.NextDouble() * random.NextDouble()));
                if (next > last)
                {
                    Sweep(story, last);
                    return false;
                }
                Sweep(story, next);
                at = next;
                var command = new IncidentCommand(action, caller, $"history-{story.Events.Count}", Target: target, Rating: rating, Into: into);
                var plan = CaseRules.Plan(story.History, command, at, _calendar, _sla, _maxReopens, id => _gridOfWorker.GetValueOrDefault(id));
                if (CaseRules.NotNow(story.History.Details!, action) is { } refusal || (refusal = plan.Refusal) is not null)
                    throw new InvalidOperationException($"The history asked for what the rules refuse: {action} by {caller.Id}: {refusal.Message}");
                story.Record(plan.Events);
                return true;
            };

            var fate = random.NextDouble();
            if (fate < 0.03)
            {
                act(_duty, IncidentAction.Reject, 0.2, 8);
                return story;
            }
            if (fate < 0.05 && previous is not null)
            {
                act(_duty, IncidentAction.Merge, 0.2, 8, into: previous.Id);
                return story;
            }
            if (reporter is not null && fate < 0.45)
            {
                // 微事不出格: the grid worker settles it there and then.
                if (act(reporter, IncidentAction.Resolve, 0.05, 2))
                    Rate(random, story, act, null);
                return story;
            }
            if (!act(_duty, IncidentAction.Verify, 0.1, 10) || !act(_duty, IncidentAction.Ticket, 0.1, 6))
                return story;
            // Most go to the grid's worker; others the grid's chief (and then the village) sends up first (小事不出村、大事不出镇).
            var (target, assignee, up) = Assign(random, path, worker);
            for (var level = 0; level < up; level++)
            {
                if (!act(Station(path, level), IncidentAction.Escalate, 0.5, 12))
                    return story;
            }
            if (!act(_duty, IncidentAction.Dispatch, 0.1, 4, target))
                return story;
            // Most accept and finish within their terms; a few run late and are supervised (督办).
            var late = random.NextDouble() < 0.06 ? 30.0 : 0.0;
            if (!act(assignee, IncidentAction.Accept, 0.2, 20 + late) || !act(assignee, IncidentAction.Handle, 2, 90 + late * 4)
                || !act(_duty, IncidentAction.Feedback, 0.2, 12))
                return story;
            Rate(random, story, act, assignee);
            return story;
        }

        /// <summary>
        /// The citizen rates most cases; a dissatisfied rating reopens a case with an assignee, who handles it again
        /// (a case settled on the spot has none to reopen it to, so its citizens are not dissatisfied here).
        /// </summary>
        private void Rate(Random random, Case story, Step act, Caller? assignee)
        {
            if (random.NextDouble() > 0.85)
                return;
            var rating = random.NextDouble() switch
            {
                < 0.88 => Rating.Satisfied,
                < 0.96 => Rating.Neutral,
                _ => assignee is null ? Rating.Neutral : Rating.Dissatisfied,
            };
            var citizen = RatingLinks.Citizen(story.Id);
            if (act(citizen, IncidentAction.Rate, 1, 48, rating: rating) && rating == Rating.Dissatisfied
                && act(assignee!, IncidentAction.Handle, 4, 60) && act(_duty, IncidentAction.Feedback, 0.2, 8))
                act(citizen, IncidentAction.Rate, 1, 48, rating: Rating.Satisfied);
        }

        /// <summary>One step of a case: who does what, within how many hours of the step before.</summary>
        private delegate bool Step(Caller caller, IncidentAction action, double minHours, double maxHours, Assignee? target = null,
            Rating? rating = null, Guid? into = null);

        /// <summary>
        /// Where the duty officer sends the case, and how many levels it is sent up before: mostly to the grid's worker,
        /// else to the grid, the village or the township as a level (sent up to it first), or to a department.
        /// </summary>
        private static (Assignee Target, Caller Assignee, int Up) Assign(Random random, IReadOnlyList<string> path, WorkerRecord? worker)
        {
            var where = random.NextDouble();
            if (worker is not null && where < 0.6)
                return (new Assignee(AssigneeKind.Worker, worker.Id, worker.Name), WorkerCaller(worker, path), 0);
            if (where < 0.95)
            {
                var up = where < 0.75 ? 0 : where < 0.9 ? 1 : 2;
                return (new Assignee(AssigneeKind.Jurisdiction, path[up], path[up]), Station(path, up), up);
            }
            return (new Assignee(AssigneeKind.Department, "dept", Department.Name), Department, 0);
        }

        /// <summary>Who acts for the level <paramref name="index"/> of the path: the grid's chief, the village's or the township's station.</summary>
        private static Caller Station(IReadOnlyList<string> path, int index) => index switch
        {
            0 => new Caller(Caller.UserId($"chief-{path[0]}"), "网格长", Role.GridChief, [path[0]]),
            1 => new Caller(Caller.UserId($"station-{path[1]}"), "村(社区)", Role.VillageStation, [path[1]]),
            _ => new Caller(Caller.UserId($"station-{path[2]}"), "乡镇综治中心", Role.TownshipStation, [path[2]]),
        };

        private static Caller WorkerCaller(WorkerRecord worker, IReadOnlyList<string> path) =>
            new(Caller.UserId($"worker-{worker.Id}"), worker.Name, Role.GridWorker, [path[0]], worker.Id);

        /// <summary>Records every deadline missed up to <paramref name="until"/>, at the moment it was missed, as the sweep does.</summary>
        private void Sweep(Case story, DateTimeOffset until)
        {
            while (Deadlines.NextReview(story.History.Details!) is { } review && review <= until)
                story.Record([Deadlines.Record(story.History, review.ToUniversalTime(), _sla, _calendar)!]);
        }

        private static IncidentSource Pick(Random random)
        {
            var r = random.NextDouble();
            foreach (var (source, share) in Sources)
            {
                if ((r -= share) < 0)
                    return source;
            }
            return IncidentSource.GridWorker;
        }
    }
}
