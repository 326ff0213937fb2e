-- Statistics rolled up as events happen (issue 18): what each incident event adds (grains/Statistics/StatFacts.cs),
-- per China Standard Time day, jurisdiction (the grid and every area above it), category and source, written in the
-- same commit as the event. A period's KPIs are sums over these rows.
CREATE TABLE cc_stat_day (
    jurisdiction          text    NOT NULL,
    day                   date    NOT NULL,
    category              text    NOT NULL,
    source                text    NOT NULL,
    reported              integer NOT NULL DEFAULT 0,
    accepted              integer NOT NULL DEFAULT 0,
    rejected              integer NOT NULL DEFAULT 0,
    merged                integer NOT NULL DEFAULT 0,
    closed                integer NOT NULL DEFAULT 0,
    closed_on_time        integer NOT NULL DEFAULT 0,
    closed_at_grid        integer NOT NULL DEFAULT 0,
    closed_at_village     integer NOT NULL DEFAULT 0,
    closed_at_township    integer NOT NULL DEFAULT 0,
    closed_above          integer NOT NULL DEFAULT 0,
    ever_overdue          integer NOT NULL DEFAULT 0,
    supervised            integer NOT NULL DEFAULT 0,
    supervision_escalated integer NOT NULL DEFAULT 0,
    escalated             integer NOT NULL DEFAULT 0,
    routed_to_department  integer NOT NULL DEFAULT 0,
    reopened              integer NOT NULL DEFAULT 0,
    rated_satisfied       integer NOT NULL DEFAULT 0,
    rated_neutral         integer NOT NULL DEFAULT 0,
    rated_dissatisfied    integer NOT NULL DEFAULT 0,
    PRIMARY KEY (jurisdiction, day, category, source)
);

-- How long each case took to be accepted and to be closed, in working hours, one row per area of its path, on the
-- day it ended: medians and 90th percentiles are taken over these rows.
CREATE TABLE cc_stat_time (
    jurisdiction text             NOT NULL,
    day          date             NOT NULL,
    category     text             NOT NULL,
    source       text             NOT NULL,
    kind         text             NOT NULL,
    hours        double precision NOT NULL
);
CREATE INDEX cc_stat_time_period ON cc_stat_time (jurisdiction, kind, day);

-- Incidents reported before these tables existed are rolled up once, from their event logs, by the first host that
-- starts (StatBackfill); this row says whether that has been done.
CREATE TABLE cc_stat_backfill (done boolean NOT NULL);
INSERT INTO cc_stat_backfill VALUES (false);

-- The open cases of an area, for "open now" and "overdue now" without reading the closed ones.
CREATE INDEX cc_incident_open ON cc_incident USING gin (path) WHERE status IN ('reported', 'verified', 'ticketed', 'dispatched', 'accepted', 'handled');
