-- Feeds: the ordered, durable stream of changes per jurisdiction that walls replay from.
CREATE TABLE cc_feed_entry (
    jurisdiction text        NOT NULL,
    seq          bigint      NOT NULL,
    event_id     text        NOT NULL,
    kind         text        NOT NULL,
    at           timestamptz NOT NULL,
    incident_id  uuid        NULL,
    payload      jsonb       NOT NULL,
    PRIMARY KEY (jurisdiction, seq),
    UNIQUE (jurisdiction, event_id)
);
