-- The townships' monthly reports (月报, issue 18), built and kept by the monthly report job on the build day of the
-- following month: what the county received, as it was then.
CREATE TABLE cc_stored_report (
    jurisdiction text        NOT NULL,
    kind         text        NOT NULL,
    period       text        NOT NULL,
    file_name    text        NOT NULL,
    content      bytea       NOT NULL,
    built_at     timestamptz NOT NULL,
    PRIMARY KEY (jurisdiction, kind, period)
);
