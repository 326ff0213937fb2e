using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CommandCenter.Feeds;

namespace CommandCenter.Incidents;

public sealed class IncidentGrain(
    [PersistentState("incident", StorageNames.Incidents)] IPersistentState<IncidentState> state,
    TimeProvider clock) : Grain, IIncidentGrain
{
    public async Task<ReportResult> Report(ReportIncident report)
    {
        var fingerprint = Fingerprint(report);
        if (state.State.Details is { } existing)
        {
            if (state.State.ReportFingerprint != fingerprint)
                return new ReportResult(ReportOutcome.KeyReused, existing);

            // A retry: the first attempt may have stopped between storing and publishing.
            await PublishReported(existing);
            return new ReportResult(ReportOutcome.Replayed, existing);
        }

        var details = new IncidentDetails(
            this.GetPrimaryKey(), report.Source, report.Category, report.Title, report.Description,
            report.Latitude, report.Longitude, report.Reporter, report.GridCode, report.Path,
            IncidentStatus.Reported, clock.GetUtcNow());
        state.State.Details = details;
        state.State.ReportFingerprint = fingerprint;
        await state.WriteStateAsync();

        await PublishReported(details);
        return new ReportResult(ReportOutcome.Created, details);
    }

    public Task<IncidentDetails?> Get() => Task.FromResult(state.State.Details);

    private Task PublishReported(IncidentDetails details)
    {
        var append = new FeedAppend($"incident/{details.Id:N}/reported", FeedKinds.IncidentReported, details.ReportedAt, details.ToSummary());
        return Task.WhenAll(details.Path.Select(code => GrainFactory.GetGrain<IFeedGrain>(code).Append(append)));
    }

    private static string Fingerprint(ReportIncident report)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(report with { Path = [] });
        return Convert.ToHexString(SHA256.HashData(json));
    }
}
