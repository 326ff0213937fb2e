-- The four-no villages (四无村, issue 18): litigation comes from outside (the courts), so it is recorded by hand per
-- village and year; the other three flags come from the statistics.
CREATE TABLE cc_litigation (
    village     text        NOT NULL,
    year        integer     NOT NULL,
    cases       integer     NOT NULL CHECK (cases >= 0),
    note        text        NOT NULL,
    recorded_by text        NOT NULL,
    recorded_at timestamptz NOT NULL,
    PRIMARY KEY (village, year)
);
