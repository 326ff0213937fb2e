-- The incident's history as an append-only event log (issue 5): its state is derived from these rows. The grain of
-- an incident is the only writer of its sequence; the primary key refuses a second writer's row.
CREATE TABLE cc_incident_event (
    incident_id  uuid NOT NULL,
    seq          integer NOT NULL,
    kind         text NOT NULL,
    at           timestamptz NOT NULL,
    actor        text NOT NULL,
    actor_role   text NULL,
    data         jsonb NOT NULL,
    PRIMARY KEY (incident_id, seq)
);
