-- Photos of a report-back (回执照片, issue 16): the image as uploaded (its media type decided by its bytes), with who
-- uploaded it and when.
CREATE TABLE cc_instruction_photo (
    id          uuid        PRIMARY KEY,
    report_id   uuid        NOT NULL REFERENCES cc_instruction_report (id),
    media_type  text        NOT NULL,
    size        integer     NOT NULL,
    sha256      text        NOT NULL,
    content     bytea       NOT NULL,
    uploaded_by text        NOT NULL,
    uploaded_at timestamptz NOT NULL
);
CREATE INDEX cc_instruction_photo_report ON cc_instruction_photo (report_id, uploaded_at);
