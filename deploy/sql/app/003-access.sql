-- Access control (issue 4): accounts, intake integrations, the audit log and the keys that protect cookies and tokens.

CREATE TABLE cc_account (
    username        text PRIMARY KEY,
    display_name    text NOT NULL,
    role            text NOT NULL,
    jurisdictions   text[] NOT NULL,
    worker_id       text NULL,
    password_hash   text NOT NULL,
    failed_sign_ins integer NOT NULL DEFAULT 0,
    locked_until    timestamptz NULL,
    demo            boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- An integration's key is shown once at creation; only its SHA-256 is kept (the key is 256 random bits).
CREATE TABLE cc_integration (
    name          text PRIMARY KEY,
    key_hash      bytea NOT NULL UNIQUE,
    jurisdiction  text NOT NULL,
    sources       text[] NOT NULL,
    positions     boolean NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- Append-only: who did what to which target, when, from where. No API edits or deletes it, and neither can SQL.
CREATE TABLE cc_audit (
    id              bigserial PRIMARY KEY,
    at              timestamptz NOT NULL,
    actor           text NOT NULL,
    role            text NULL,
    jurisdiction    text NULL,
    action          text NOT NULL,
    target          text NULL,
    outcome         text NOT NULL,
    detail          text NULL,
    client_address  text NULL
);
CREATE INDEX cc_audit_at ON cc_audit (at);
CREATE INDEX cc_audit_actor ON cc_audit (actor, id);
CREATE INDEX cc_audit_action ON cc_audit (action, id);
CREATE INDEX cc_audit_target ON cc_audit (target, id);

CREATE FUNCTION cc_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'cc_audit is append-only';
END;
$$;
CREATE TRIGGER cc_audit_no_update_or_delete BEFORE UPDATE OR DELETE ON cc_audit
    FOR EACH ROW EXECUTE FUNCTION cc_audit_append_only();
CREATE TRIGGER cc_audit_no_truncate BEFORE TRUNCATE ON cc_audit
    FOR EACH STATEMENT EXECUTE FUNCTION cc_audit_append_only();

-- ASP.NET Core Data Protection key ring, shared by every web node (cookies, bearer tokens, antiforgery).
CREATE TABLE cc_data_protection_key (
    id             bigserial PRIMARY KEY,
    friendly_name  text NOT NULL,
    xml            text NOT NULL
);
