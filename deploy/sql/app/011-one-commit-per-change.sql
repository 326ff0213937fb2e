-- One commit per change (issue 13): a report or an action writes its events, its read-model row, its entries on the
-- feeds of its grid and every ancestor and its audit row in one transaction.

-- Each feed's head: its last sequence number and the running totals at it. A commit numbers its entries from here
-- and moves it in the same transaction; the row lock orders the commits of every silo, so sequences stay gapless.
CREATE TABLE cc_feed_head (
    jurisdiction     text PRIMARY KEY,
    seq              bigint NOT NULL,
    reported_total   bigint NOT NULL,
    open_total       bigint NOT NULL,
    overdue_total    bigint NOT NULL,
    supervised_total bigint NOT NULL,
    closed_total     bigint NOT NULL
);
INSERT INTO cc_feed_head
SELECT DISTINCT ON (jurisdiction) jurisdiction, seq, reported_total, open_total, overdue_total, supervised_total, closed_total
FROM cc_feed_entry ORDER BY jurisdiction, seq DESC;

-- When a case must be looked at next (its supervision's deadline, else its running step's), written with its row:
-- the deadline sweep reads what is due from this index instead of keeping one reminder per incident.
ALTER TABLE cc_incident ADD COLUMN review_at timestamptz NULL;
UPDATE cc_incident SET review_at = COALESCE((details->'supervision'->>'due')::timestamptz,
                                            CASE WHEN NOT overdue THEN (details->'deadline'->>'due')::timestamptz END);
CREATE INDEX cc_incident_review ON cc_incident (review_at) WHERE review_at IS NOT NULL;

-- The per-incident deadline reminders this replaces.
DELETE FROM orleansreminderstable WHERE remindername = 'deadline';
