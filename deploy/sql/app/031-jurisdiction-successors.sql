-- The successors of the codes re-imports of the tree dropped (#19: a grid split or merged, a village's new code):
-- where what was bound to a dropped code went, and where an open case still in a dropped grid goes
-- (JurisdictionSuccessors). A code back in the tree has no rows.
CREATE TABLE IF NOT EXISTS cc_jurisdiction_successor (
    code       text        NOT NULL,
    successor  text        NOT NULL,
    at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (code, successor)
);
