-- Feeds: the ordered, durable stream of changes per jurisdiction that walls replay from.
-- Only the jurisdiction's Feed grain writes here; it numbers entries without gaps.
CREATE TABLE cc_feed_entry (
    jurisdiction   text        NOT NULL,
    seq            bigint      NOT NULL,
    event_id       text        NOT NULL,
    kind           text        NOT NULL,
    at             timestamptz NOT NULL,
    incident_id    uuid        NULL,
    payload        jsonb       NOT NULL,
    -- Incidents reported in this feed up to and including this entry, so counters load without a scan.
    reported_total bigint      NOT NULL,
    PRIMARY KEY (jurisdiction, seq),
    UNIQUE (jurisdiction, event_id)
);
CREATE INDEX cc_feed_entry_at ON cc_feed_entry (jurisdiction, at);
