-- A person's phone number as the county's people spreadsheet gives it (#19); null where none was given.
ALTER TABLE cc_worker ADD COLUMN IF NOT EXISTS phone text;
