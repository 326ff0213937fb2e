-- Track history (issue 15): every accepted position, partitioned by China Standard Time day. The app creates each
-- day's partition ahead of time (cc_position_YYYYMMDD, from 00:00 to 24:00 CST) and drops the days that left the
-- retention period (TrackStore, TrackSweeper), so pruning is a DROP TABLE, not a DELETE.
CREATE TABLE cc_position (
    worker_id text             NOT NULL,
    at        timestamptz      NOT NULL,
    lat       double precision NOT NULL,
    lng       double precision NOT NULL
) PARTITION BY RANGE (at);

-- A track is one worker over a period.
CREATE INDEX cc_position_worker_at ON cc_position (worker_id, at);
