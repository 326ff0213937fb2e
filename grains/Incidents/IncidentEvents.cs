using System.Security.Cryptography;
using System.Text.Json;

namespace CommandCenter.Incidents;

/// <summary>One entry of an incident's history (timeline): what happened, when, by whom, with its data as JSON.</summary>
[GenerateSerializer, Immutable]
public sealed record IncidentEvent(
    [property: Id(0)] int Sequence,
    [property: Id(1)] string Kind,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string Actor,
    [property: Id(4)] string? ActorRole,
    [property: Id(5)] string Data);

/// <summary>The kinds of <see cref="IncidentEvent"/>.</summary>
public static class IncidentEventKinds
{
    /// <summary>上报: the report as accepted at the edge (data: <see cref="ReportedData"/>).</summary>
    public const string Reported = "reported";
}

/// <summary>The data of a <see cref="IncidentEventKinds.Reported"/> event; the fingerprint tells a retry from a reused key.</summary>
public sealed record ReportedData(ReportIncident Report, string Fingerprint);

/// <summary>An incident's state as the fold of its events: plain code, so that the rules are tested without a grain.</summary>
public sealed record IncidentHistory(IncidentDetails? Details, string? ReportFingerprint, int LastSequence)
{
    public static readonly IncidentHistory Empty = new(null, null, 0);

    public static IncidentHistory Of(Guid id, IEnumerable<IncidentEvent> events) =>
        events.Aggregate(Empty, (history, e) => history.Apply(id, e));

    public IncidentHistory Apply(Guid id, IncidentEvent e)
    {
        if (e.Sequence != LastSequence + 1)
            throw new InvalidOperationException($"Incident {id}: event {e.Sequence} follows {LastSequence}.");
        return e.Kind switch
        {
            IncidentEventKinds.Reported => Reported(id, e),
            _ => throw new InvalidOperationException($"Incident {id}: unknown event kind '{e.Kind}' at {e.Sequence}."),
        };
    }

    /// <summary>The first event of a new incident.</summary>
    public static IncidentEvent NewReport(ReportIncident report, DateTimeOffset at) =>
        new(1, IncidentEventKinds.Reported, at, report.ReportedBy, report.ReporterRole,
            JsonSerializer.Serialize(new ReportedData(report, Fingerprint(report)), Json.Options));

    /// <summary>What makes two reports "the same" for idempotency: everything but the path, which the edge derives.</summary>
    public static string Fingerprint(ReportIncident report) =>
        Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(report with { Path = [] }, Json.Options)));

    private IncidentHistory Reported(Guid id, IncidentEvent e)
    {
        var data = JsonSerializer.Deserialize<ReportedData>(e.Data, Json.Options)!;
        var r = data.Report;
        var details = new IncidentDetails(id, r.Source, r.Category, r.Title, r.Description, r.Latitude, r.Longitude,
            r.Reporter, r.GridCode, r.Path, IncidentStatus.Reported, e.At);
        return new IncidentHistory(details, data.Fingerprint, e.Sequence);
    }
}
