-- Cameras' health (issue 6), written by each Camera grain when its status or alarm changes (and its times now and then),
-- read for lists and counts. A camera without a row has not been probed: unknown.
CREATE TABLE cc_camera_health (
    camera_id text PRIMARY KEY,
    status text NOT NULL,
    since timestamptz NULL,
    last_seen_at timestamptz NULL,
    last_frame_at timestamptz NULL,
    reason text NULL,
    failures integer NOT NULL DEFAULT 0,
    failing_since timestamptz NULL,
    alarm uuid NULL,
    updated_at timestamptz NOT NULL
);
