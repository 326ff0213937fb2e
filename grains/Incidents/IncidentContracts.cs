namespace CommandCenter.Incidents;

/// <summary>Where a report came from (事件来源).</summary>
public enum IncidentSource
{
    /// <summary>网格员上报</summary>
    GridWorker,
    /// <summary>12345 热线工单</summary>
    Hotline12345,
    /// <summary>信访</summary>
    Petition,
    /// <summary>群众小程序 (一键直达)</summary>
    MiniProgram,
    /// <summary>摄像头告警</summary>
    CameraAlarm,
    /// <summary>公安转办</summary>
    Police,
}

public enum IncidentStatus
{
    /// <summary>已上报, waiting for verification (核实).</summary>
    Reported,
}

/// <summary>
/// A report accepted at the edge and located in its grid; <see cref="Path"/> runs from the grid up to the county.
/// <see cref="ReportedBy"/> is the caller that sent it (a person's or an integration's id) and <see cref="ReporterRole"/> its role.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ReportIncident(
    [property: Id(0)] IncidentSource Source,
    [property: Id(1)] string Category,
    [property: Id(2)] string Title,
    [property: Id(3)] string Description,
    [property: Id(4)] double Latitude,
    [property: Id(5)] double Longitude,
    [property: Id(6)] string? Reporter,
    [property: Id(7)] string GridCode,
    [property: Id(8)] IReadOnlyList<string> Path,
    [property: Id(9)] string ReportedBy,
    [property: Id(10)] string? ReporterRole);

/// <summary>What a wall needs to draw and list an incident; carried in feed entries.</summary>
[GenerateSerializer, Immutable]
public sealed record IncidentSummary(
    [property: Id(0)] Guid Id,
    [property: Id(1)] IncidentSource Source,
    [property: Id(2)] string Category,
    [property: Id(3)] string Title,
    [property: Id(4)] double Latitude,
    [property: Id(5)] double Longitude,
    [property: Id(6)] string GridCode,
    [property: Id(7)] IncidentStatus Status,
    [property: Id(8)] DateTimeOffset ReportedAt);

[GenerateSerializer, Immutable]
public sealed record IncidentDetails(
    [property: Id(0)] Guid Id,
    [property: Id(1)] IncidentSource Source,
    [property: Id(2)] string Category,
    [property: Id(3)] string Title,
    [property: Id(4)] string Description,
    [property: Id(5)] double Latitude,
    [property: Id(6)] double Longitude,
    [property: Id(7)] string? Reporter,
    [property: Id(8)] string GridCode,
    [property: Id(9)] IReadOnlyList<string> Path,
    [property: Id(10)] IncidentStatus Status,
    [property: Id(11)] DateTimeOffset ReportedAt)
{
    public IncidentSummary ToSummary() =>
        new(Id, Source, Category, Title, Latitude, Longitude, GridCode, Status, ReportedAt);
}

[GenerateSerializer]
public enum ReportOutcome
{
    /// <summary>First time this report was seen: stored now.</summary>
    Created,
    /// <summary>The same idempotency key and the same content were seen before: the stored incident is returned.</summary>
    Replayed,
    /// <summary>The idempotency key was already used for a different report.</summary>
    KeyReused,
}

[GenerateSerializer, Immutable]
public sealed record ReportResult([property: Id(0)] ReportOutcome Outcome, [property: Id(1)] IncidentDetails Incident);

/// <summary>One incident (事件) and its closed-loop workflow. Keyed by a GUID derived from the report's idempotency key.</summary>
public interface IIncidentGrain : IGrainWithGuidKey
{
    /// <summary>Stores the report durably, then appends it to the feed of its grid and of every ancestor. Safe to retry.</summary>
    Task<ReportResult> Report(ReportIncident report);

    Task<IncidentDetails?> Get();

    /// <summary>The incident's history, oldest first (empty when there is no such incident).</summary>
    Task<IReadOnlyList<IncidentEvent>> Timeline();
}
