namespace CommandCenter.Incidents;

/// <summary>Persisted state of an incident grain (Orleans ADO.NET grain storage "incidents").</summary>
[GenerateSerializer]
public sealed class IncidentState
{
    [Id(0)] public IncidentDetails? Details { get; set; }

    /// <summary>Fingerprint of the original report, to tell a retry from a reused idempotency key.</summary>
    [Id(1)] public string? ReportFingerprint { get; set; }
}
