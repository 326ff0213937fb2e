-- The video roll call (issue 17, 视频点名): who was called, when the call reached each station, when the media server
-- received its first frame, and the outcome. Its id is derived from who started it and the request's Idempotency-Key.

-- A roll call: in a command session or on its own; area: where it was started for (those who may read the area read
-- it); closes_at: when it closes by itself (the time to answer and the late window after it); closed_at: when it
-- closed (by itself: closes_at; ended earlier by ended_by_name).
CREATE TABLE cc_roll_call (
    id              uuid        PRIMARY KEY,
    session         uuid        NULL,
    title           text        NOT NULL,
    area            text        NOT NULL,
    answer_within   interval    NOT NULL,
    started_at      timestamptz NOT NULL,
    closes_at       timestamptz NOT NULL CHECK (closes_at > started_at),
    closed_at       timestamptz NULL,
    started_by      text        NOT NULL,
    started_by_name text        NOT NULL,
    ended_by_name   text        NULL
);

-- The sweep's question: the open roll calls whose close has come.
CREATE INDEX cc_roll_call_open ON cc_roll_call (closes_at) WHERE closed_at IS NULL;
CREATE INDEX cc_roll_call_started ON cc_roll_call (started_at);

-- A called station: path (the station and every area above it) answers "roll calls within an area"; outcome one of
-- pending, onTime, late, notAnswered, offline.
CREATE TABLE cc_roll_call_station (
    roll_call    uuid        NOT NULL REFERENCES cc_roll_call (id),
    station      text        NOT NULL,
    position     integer     NOT NULL,
    path         text[]      NOT NULL,
    delivered_at timestamptz NULL,
    answered_at  timestamptz NULL,
    outcome      text        NOT NULL,
    PRIMARY KEY (roll_call, station)
);

CREATE INDEX cc_roll_call_station_path ON cc_roll_call_station USING gin (path);
CREATE INDEX cc_roll_call_station_station ON cc_roll_call_station (station);
