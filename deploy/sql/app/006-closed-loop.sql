-- The closed loop (issue 5).

-- Feed counters as running totals per entry, like reported_total: each entry carries the change it makes to the
-- jurisdiction's open, overdue, supervised and closed counts, and these columns hold the sums up to that entry.
-- Until now nothing closed, so every reported incident was open.
ALTER TABLE cc_feed_entry
    ADD COLUMN open_total       bigint NULL,
    ADD COLUMN overdue_total    bigint NOT NULL DEFAULT 0,
    ADD COLUMN supervised_total bigint NOT NULL DEFAULT 0,
    ADD COLUMN closed_total     bigint NOT NULL DEFAULT 0;
UPDATE cc_feed_entry SET open_total = reported_total;
ALTER TABLE cc_feed_entry ALTER COLUMN open_total SET NOT NULL;

-- The read model of incidents, for lists, filters and duplicate proposals: one row per incident, written in the
-- same statement as its events (so it is never behind the log), the state as JSON plus the columns queries filter on.
CREATE TABLE cc_incident (
    id             uuid PRIMARY KEY,
    path           text[] NOT NULL,
    grid_code      text NOT NULL,
    level          text NOT NULL,
    source         text NOT NULL,
    category       text NOT NULL,
    status         text NOT NULL,
    latitude       double precision NOT NULL,
    longitude      double precision NOT NULL,
    reported_at    timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    due            timestamptz NULL,
    overdue        boolean NOT NULL,
    supervised_by  text NULL,
    assignee_kind  text NULL,
    assignee_id    text NULL,
    last_seq       integer NOT NULL,
    details        jsonb NOT NULL
);
CREATE INDEX cc_incident_path ON cc_incident USING gin (path);
CREATE INDEX cc_incident_updated ON cc_incident (updated_at DESC);
CREATE INDEX cc_incident_category ON cc_incident (category, reported_at);
CREATE INDEX cc_incident_assignee ON cc_incident (assignee_kind, assignee_id) WHERE assignee_id IS NOT NULL;

-- Server secrets that every web node shares (the key of the citizens' rating links), made at first use.
CREATE TABLE cc_secret (
    name   text PRIMARY KEY,
    value  bytea NOT NULL
);
