-- Grid alerts (issue 15, 警务+网格): every new incident in the grids a patrol officer's account covers, and every
-- incident dispatched to a person, as an alert to that account, written in the incident change's own commit.

-- The categories an account is alerted of (NULL: every category).
ALTER TABLE cc_account ADD COLUMN alert_categories text[] NULL;
CREATE INDEX cc_account_police_areas ON cc_account USING gin (jurisdictions) WHERE role = 'PatrolPolice';
CREATE INDEX cc_account_worker ON cc_account (worker_id) WHERE worker_id IS NOT NULL;

-- One alert of one account for one event of an incident (its report, or a dispatch to the account's person).
CREATE TABLE cc_alert (
    id              uuid        PRIMARY KEY,
    incident_id     uuid        NOT NULL,
    seq             integer     NOT NULL,
    username        text        NOT NULL,
    display_name    text        NOT NULL,
    kind            text        NOT NULL,
    grid_code       text        NOT NULL,
    path            text[]      NOT NULL,
    category        text        NOT NULL,
    title           text        NOT NULL,
    created_at      timestamptz NOT NULL,
    due_at          timestamptz NOT NULL,
    delivered_at    timestamptz NULL,
    acknowledged_at timestamptz NULL,
    escalated_at    timestamptz NULL,
    UNIQUE (incident_id, seq, username)
);
CREATE INDEX cc_alert_mine ON cc_alert (username, created_at DESC);
CREATE INDEX cc_alert_incident ON cc_alert (incident_id);
CREATE INDEX cc_alert_area ON cc_alert USING gin (path);
CREATE INDEX cc_alert_due ON cc_alert (due_at) WHERE acknowledged_at IS NULL AND escalated_at IS NULL;
