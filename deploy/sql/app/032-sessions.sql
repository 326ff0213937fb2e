-- Sessions and the account lifecycle (#20). Every sign-in (a page's cookie, a bearer token) is a row of cc_session,
-- named in the cookie or token. A session is valid while it is not ended, not expired, its account is not disabled and
-- the account's security stamp is still the one it was signed in with. The stamp moves on every change of the
-- account's role, jurisdictions, worker or disabled flag (the trigger below, whichever statement makes it: the accounts
-- API, a people list, a re-import of the tree) and on a new password (AccountStore.SetPassword), so such a change ends
-- every session of that account on every node (SessionCheck, SessionSweep).
ALTER TABLE cc_account ADD COLUMN IF NOT EXISTS disabled boolean NOT NULL DEFAULT false;
ALTER TABLE cc_account ADD COLUMN IF NOT EXISTS stamp bigint NOT NULL DEFAULT 0;

CREATE OR REPLACE FUNCTION cc_account_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.role IS DISTINCT FROM OLD.role OR NEW.jurisdictions IS DISTINCT FROM OLD.jurisdictions
        OR NEW.worker_id IS DISTINCT FROM OLD.worker_id OR NEW.disabled IS DISTINCT FROM OLD.disabled THEN
        NEW.stamp := OLD.stamp + 1;
    END IF;
    RETURN NEW;
END;
$$;
DROP TRIGGER IF EXISTS cc_account_stamp ON cc_account;
CREATE TRIGGER cc_account_stamp BEFORE UPDATE ON cc_account FOR EACH ROW EXECUTE FUNCTION cc_account_stamp();

CREATE TABLE IF NOT EXISTS cc_session (
    id              uuid PRIMARY KEY,
    username        text NOT NULL REFERENCES cc_account (username) ON DELETE CASCADE,
    kind            text NOT NULL,
    stamp           bigint NOT NULL,
    created_at      timestamptz NOT NULL,
    last_seen_at    timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    sliding         boolean NOT NULL,
    lifetime        interval NOT NULL,
    client_address  text NULL,
    user_agent      text NULL,
    ended_at        timestamptz NULL,
    ended_by        text NULL,
    ended_reason    text NULL
);
CREATE INDEX IF NOT EXISTS cc_session_username ON cc_session (username, created_at);
