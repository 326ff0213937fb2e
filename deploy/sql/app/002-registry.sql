-- The county's registry: jurisdiction tree (imported as GeoJSON), people bound to grids, public cameras.
CREATE TABLE cc_jurisdiction (
    code        text     PRIMARY KEY,
    name        text     NOT NULL,
    level       smallint NOT NULL,
    parent_code text     NULL,
    geometry    jsonb    NOT NULL
);

CREATE TABLE cc_worker (
    id        text             PRIMARY KEY,
    name      text             NOT NULL,
    role      text             NOT NULL,
    grid_code text             NOT NULL,
    home_lat  double precision NOT NULL,
    home_lng  double precision NOT NULL
);

CREATE TABLE cc_camera (
    id        text             PRIMARY KEY,
    name      text             NOT NULL,
    grid_code text             NOT NULL,
    lat       double precision NOT NULL,
    lng       double precision NOT NULL
);

-- Bumped by every change to the three tables above, so each host knows when to reload its copy.
CREATE TABLE cc_registry_version (
    version    bigint      NOT NULL,
    changed_at timestamptz NOT NULL
);
INSERT INTO cc_registry_version VALUES (0, now());
