-- The working-day calendar (issue 5): years edited by administrators. A year stored here replaces the file of the
-- same year shipped in grains/Calendar/Years/ (for example 2027 once its notice is published).
CREATE TABLE cc_calendar_year (
    year        integer PRIMARY KEY,
    document    text NOT NULL,
    saved_at    timestamptz NOT NULL,
    saved_by    text NOT NULL
);
