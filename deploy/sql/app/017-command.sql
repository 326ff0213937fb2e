-- Remote emergency command (issue 16, 应急指挥): command sessions with their append-only log, and instructions to
-- stations with each recipient's delivery, 签收 and 回执.

-- A command session for an incident or an area. path: the area and its ancestors (for the scope of a list);
-- participants: the codes of the stations taking part. head: the last number of its log.
CREATE TABLE cc_command_session (
    id             uuid        PRIMARY KEY,
    title          text        NOT NULL,
    area           text        NOT NULL,
    path           text[]      NOT NULL,
    level          text        NOT NULL,
    incidents      uuid[]      NOT NULL,
    participants   text[]      NOT NULL,
    opened_by      text        NOT NULL,
    opened_by_name text        NOT NULL,
    opened_at      timestamptz NOT NULL,
    closed_at      timestamptz NULL,
    closed_by      text        NULL,
    summary        text        NULL,
    head           bigint      NOT NULL
);
CREATE INDEX cc_command_session_open ON cc_command_session (opened_at DESC) WHERE closed_at IS NULL;
CREATE INDEX cc_command_session_path ON cc_command_session USING gin (path);
CREATE INDEX cc_command_session_participants ON cc_command_session USING gin (participants);

-- Everything that happens in a session, numbered 1, 2, … without a gap (the session grain writes them, one at a time).
CREATE TABLE cc_command_log (
    session_id uuid        NOT NULL REFERENCES cc_command_session (id),
    seq        bigint      NOT NULL,
    kind       text        NOT NULL,
    at         timestamptz NOT NULL,
    actor      text        NOT NULL,
    actor_name text        NOT NULL,
    data       jsonb       NOT NULL,
    PRIMARY KEY (session_id, seq)
);

-- An instruction (指令), in a session or outside one (a broadcast). Its id is derived from the issuer and the request's
-- Idempotency-Key, so a retry finds it instead of issuing it again.
CREATE TABLE cc_instruction (
    id             uuid        PRIMARY KEY,
    session_id     uuid        NULL REFERENCES cc_command_session (id),
    text           text        NOT NULL,
    issued_by      text        NOT NULL,
    issued_by_name text        NOT NULL,
    issued_at      timestamptz NOT NULL,
    sign_due       timestamptz NOT NULL,
    report_due     timestamptz NOT NULL
);
CREATE INDEX cc_instruction_session ON cc_instruction (session_id, issued_at) WHERE session_id IS NOT NULL;
CREATE INDEX cc_instruction_issued ON cc_instruction (issued_at DESC);

-- One recipient station of an instruction and where it stands. path: the station and its ancestors.
CREATE TABLE cc_instruction_recipient (
    instruction_id     uuid        NOT NULL REFERENCES cc_instruction (id),
    recipient          text        NOT NULL,
    path               text[]      NOT NULL,
    delivered_at       timestamptz NULL,
    signed_at          timestamptz NULL,
    signed_by          text        NULL,
    signed_by_name     text        NULL,
    reported_at        timestamptz NULL,
    done_at            timestamptz NULL,
    sign_reminded_at   timestamptz NULL,
    report_reminded_at timestamptz NULL,
    PRIMARY KEY (instruction_id, recipient)
);
CREATE INDEX cc_instruction_recipient_station ON cc_instruction_recipient (recipient);
CREATE INDEX cc_instruction_recipient_path ON cc_instruction_recipient USING gin (path);

-- A report-back (回执) of a recipient: text, where it was made, whether the task is done. Its id is derived from the
-- reporter and the request's Idempotency-Key.
CREATE TABLE cc_instruction_report (
    id             uuid             PRIMARY KEY,
    instruction_id uuid             NOT NULL,
    recipient      text             NOT NULL,
    at             timestamptz      NOT NULL,
    reported_by    text             NOT NULL,
    reported_name  text             NOT NULL,
    text           text             NOT NULL,
    lat            double precision NULL,
    lng            double precision NULL,
    done           boolean          NOT NULL,
    FOREIGN KEY (instruction_id, recipient) REFERENCES cc_instruction_recipient (instruction_id, recipient)
);
CREATE INDEX cc_instruction_report_of ON cc_instruction_report (instruction_id, recipient, at);
