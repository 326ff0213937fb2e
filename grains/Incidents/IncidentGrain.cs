using CommandCenter.Feeds;

namespace CommandCenter.Incidents;

/// <summary>
/// One incident: its state is the fold of its event log in PostgreSQL (<see cref="IncidentStore"/>), loaded at
/// activation; this grain is the only writer of that log.
/// </summary>
public sealed class IncidentGrain(IncidentStore store, TimeProvider clock) : Grain, IIncidentGrain
{
    private List<IncidentEvent> _events = [];
    private IncidentHistory _history = IncidentHistory.Empty;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _events = [.. await store.Load(this.GetPrimaryKey())];
        _history = IncidentHistory.Of(this.GetPrimaryKey(), _events);
    }

    public async Task<ReportResult> Report(ReportIncident report)
    {
        if (_history.Details is { } existing)
        {
            if (_history.ReportFingerprint != IncidentHistory.Fingerprint(report))
                return new ReportResult(ReportOutcome.KeyReused, existing);

            // A retry: the first attempt may have stopped between storing and publishing.
            await PublishReported(existing);
            return new ReportResult(ReportOutcome.Replayed, existing);
        }

        var reported = IncidentHistory.NewReport(report, clock.GetUtcNow());
        await store.Append(this.GetPrimaryKey(), reported);
        _events.Add(reported);
        _history = _history.Apply(this.GetPrimaryKey(), reported);

        var details = _history.Details!;
        await PublishReported(details);
        return new ReportResult(ReportOutcome.Created, details);
    }

    public Task<IncidentDetails?> Get() => Task.FromResult(_history.Details);

    public Task<IReadOnlyList<IncidentEvent>> Timeline() => Task.FromResult<IReadOnlyList<IncidentEvent>>(_events);

    private Task PublishReported(IncidentDetails details)
    {
        var append = new FeedAppend($"incident/{details.Id:N}/reported", FeedKinds.IncidentReported, details.ReportedAt, details.ToSummary());
        return Task.WhenAll(details.Path.Select(code => GrainFactory.GetGrain<IFeedGrain>(code).Append(append)));
    }
}
