-- The shared view of a command session (issue 16, 领屏/跟随): who leads it and the view it last shared, the cameras
-- the session shares with its participants (besides its incidents), and the map markup (标绘) drawn in it.
ALTER TABLE cc_command_session
    ADD COLUMN cameras     text[] NOT NULL DEFAULT '{}',
    ADD COLUMN leader      text   NULL,
    ADD COLUMN leader_name text   NULL,
    ADD COLUMN view        jsonb  NULL;

-- Markup drawn in a session: a line, a circle (one point and a radius in metres) or a polygon, with its label; taken
-- off (removed_at) rather than deleted, so the log's account of it stays true. Its id is derived from who drew it and
-- the request's Idempotency-Key.
CREATE TABLE cc_command_markup (
    id            uuid             PRIMARY KEY,
    session_id    uuid             NOT NULL REFERENCES cc_command_session (id),
    kind          text             NOT NULL,
    points        jsonb            NOT NULL,
    radius        double precision NULL,
    label         text             NOT NULL,
    drawn_by      text             NOT NULL,
    drawn_by_name text             NOT NULL,
    drawn_at      timestamptz      NOT NULL,
    removed_at    timestamptz      NULL
);
CREATE INDEX cc_command_markup_session ON cc_command_markup (session_id, drawn_at) WHERE removed_at IS NULL;
