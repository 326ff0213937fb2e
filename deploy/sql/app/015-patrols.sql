-- Patrol duties (issue 15, 一巡二报三查四清): each grid's checkpoints, its people's patrol sessions and check-ins
-- (visits of 三查 among them, with photos), and each grid's outcome per patrol window, recorded once at the window's end.

-- A grid's checkpoints (巡查点), from the county's GeoJSON (property "checkpoints" of a grid's feature).
CREATE TABLE cc_patrol_checkpoint (
    grid_code text             NOT NULL,
    ordinal   smallint         NOT NULL,
    name      text             NOT NULL,
    lat       double precision NOT NULL,
    lng       double precision NOT NULL,
    PRIMARY KEY (grid_code, ordinal)
);

-- A person on patrol in their grid: opened when their duty status becomes on patrol, closed when it becomes on duty
-- or off duty. At most one open per person.
CREATE TABLE cc_patrol_session (
    id         uuid        PRIMARY KEY,
    worker_id  text        NOT NULL,
    grid_code  text        NOT NULL,
    started_at timestamptz NOT NULL,
    stopped_at timestamptz NULL,
    CHECK (stopped_at IS NULL OR stopped_at >= started_at)
);
CREATE UNIQUE INDEX cc_patrol_session_open ON cc_patrol_session (worker_id) WHERE stopped_at IS NULL;
-- The sessions overlapping a window: started before its end, not stopped before its start.
CREATE INDEX cc_patrol_session_started ON cc_patrol_session (started_at);

-- A check-in with GPS (打卡), at a checkpoint or on a visit (出租房, 重点人员, 特殊场所), tied to the person's grid.
-- checkpoint: the grid's checkpoint within the radius when it was made (null: none near). Retries with the same
-- Idempotency-Key find the row instead of adding one.
CREATE TABLE cc_patrol_checkin (
    id              uuid             PRIMARY KEY,
    worker_id       text             NOT NULL,
    grid_code       text             NOT NULL,
    kind            text             NOT NULL CHECK (kind IN ('checkpoint', 'rentalHousing', 'keyPerson', 'specialPlace')),
    at              timestamptz      NOT NULL,
    lat             double precision NOT NULL,
    lng             double precision NOT NULL,
    checkpoint      smallint         NULL,
    note            text             NULL,
    idempotency_key text             NOT NULL,
    UNIQUE (worker_id, idempotency_key)
);
CREATE INDEX cc_patrol_checkin_at ON cc_patrol_checkin (at);
CREATE INDEX cc_patrol_checkin_grid ON cc_patrol_checkin (grid_code, at);

-- Photos of check-ins (a visit's 现场照片), kept like incidents' photos: the media type from the content, never changed.
CREATE TABLE cc_patrol_photo (
    id          uuid        PRIMARY KEY,
    checkin_id  uuid        NOT NULL REFERENCES cc_patrol_checkin (id),
    media_type  text        NOT NULL,
    size        integer     NOT NULL,
    sha256      text        NOT NULL,
    content     bytea       NOT NULL,
    uploaded_by text        NOT NULL,
    uploaded_at timestamptz NOT NULL
);
CREATE INDEX cc_patrol_photo_checkin ON cc_patrol_photo (checkin_id, uploaded_at);
ALTER TABLE cc_patrol_photo ALTER COLUMN content SET STORAGE EXTERNAL;

-- Each grid's patrol of each window, recorded once at the window's end: done, partial or missed, with its evidence.
CREATE TABLE cc_patrol_outcome (
    grid_code           text        NOT NULL,
    day                 date        NOT NULL,
    window_name         text        NOT NULL,
    window_start        timestamptz NOT NULL,
    window_end          timestamptz NOT NULL,
    outcome             text        NOT NULL CHECK (outcome IN ('done', 'partial', 'missed')),
    patrol_seconds      integer     NOT NULL,
    sectors_visited     smallint    NOT NULL,
    sectors             smallint    NOT NULL,
    checkpoints_visited smallint    NOT NULL,
    checkpoints         smallint    NOT NULL,
    checkins            integer     NOT NULL,
    patrolled_by        text[]      NOT NULL,
    recorded_at         timestamptz NOT NULL,
    PRIMARY KEY (grid_code, day, window_name)
);
CREATE INDEX cc_patrol_outcome_day ON cc_patrol_outcome (day, window_name);

-- The windows the sweep has recorded for every grid, so that it looks at each once.
CREATE TABLE cc_patrol_window (
    day         date        NOT NULL,
    window_name text        NOT NULL,
    window_end  timestamptz NOT NULL,
    grids       integer     NOT NULL,
    recorded_at timestamptz NOT NULL,
    PRIMARY KEY (day, window_name)
);

-- Since when patrols are recorded: the first sweep's time. Windows that ended before it are never recorded (nobody
-- could patrol with the system before it ran).
CREATE TABLE cc_patrol_since (
    one   boolean     PRIMARY KEY DEFAULT true CHECK (one),
    since timestamptz NOT NULL
);
