-- The event log by time (issue 18): what grid people did in a period (WorkerStatsStore) reads that period's events,
-- not every incident changed since the period began, so a quarter of years ago costs what this quarter costs.
CREATE INDEX cc_incident_event_at ON cc_incident_event (at);
