-- The notable cases of a period (issue 18, 重点案件: supervised, reopened, rated dissatisfied): the incident list reads
-- the period's events of one kind by time. Each index has the condition of NotableWithin.Condition
-- (grains/Incidents/IncidentStore.cs), so that a county-year reads its few thousand events, not the year's millions.
CREATE INDEX cc_incident_event_supervised ON cc_incident_event (at) INCLUDE (incident_id)
    WHERE kind = 'overdue';
CREATE INDEX cc_incident_event_reopened ON cc_incident_event (at) INCLUDE (incident_id)
    WHERE (kind = 'reopened' OR (kind = 'escalated' AND data->>'rating' = 'dissatisfied'));
CREATE INDEX cc_incident_event_dissatisfied ON cc_incident_event (at) INCLUDE (incident_id)
    WHERE (kind = 'rated' AND data->>'rating' = 'dissatisfied');
