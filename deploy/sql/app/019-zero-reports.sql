-- The daily zero-report (issue 16, 零报告): the county's sensitive periods, each unit's report of a day, and the
-- reminders sent to the units that had not reported by the deadline.

-- A sensitive period (敏感时期): its days (CST, both included), the levels that report ('township', 'village'), the
-- time of day (CST) a day's report is due, and whether only its working days are due. ended_on: ended early, its last
-- day (before starts_on: it never ran). Its id is derived from who configured it and the request's Idempotency-Key.
CREATE TABLE cc_sensitive_period (
    id                uuid        PRIMARY KEY,
    name              text        NOT NULL,
    starts_on         date        NOT NULL,
    ends_on           date        NOT NULL CHECK (ends_on >= starts_on),
    levels            text[]      NOT NULL,
    deadline          time        NOT NULL,
    working_days_only boolean     NOT NULL,
    created_by        text        NOT NULL,
    created_by_name   text        NOT NULL,
    created_at        timestamptz NOT NULL,
    ended_on          date        NULL,
    ended_by_name     text        NULL
);

-- A unit's report of a day: nothing to report, or a note and linked incidents (their titles as they were then). path:
-- the unit and its ancestors (for the scope of a list); due_at: its deadline when it was made, so a later change of the
-- periods does not rewrite whether it was late; on_behalf: made by the township for its village (代报). One per unit and
-- day; its id is derived from the reporter and the request's Idempotency-Key.
CREATE TABLE cc_zero_report (
    id               uuid        PRIMARY KEY,
    jurisdiction     text        NOT NULL,
    day              date        NOT NULL,
    path             text[]      NOT NULL,
    nothing          boolean     NOT NULL,
    note             text        NOT NULL,
    incidents        uuid[]      NOT NULL,
    incident_titles  text[]      NOT NULL,
    due_at           timestamptz NOT NULL,
    reported_at      timestamptz NOT NULL,
    reported_by      text        NOT NULL,
    reported_by_name text        NOT NULL,
    on_behalf        boolean     NOT NULL,
    UNIQUE (jurisdiction, day)
);
CREATE INDEX cc_zero_report_day ON cc_zero_report (day);

-- A unit reminded that its report of the day was missing at the deadline: once per unit and day.
CREATE TABLE cc_zero_report_reminder (
    jurisdiction text        NOT NULL,
    day          date        NOT NULL,
    reminded_at  timestamptz NOT NULL,
    PRIMARY KEY (jurisdiction, day)
);
