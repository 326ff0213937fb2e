-- Photos attached to incidents (issue 5): evidence from reporters and handlers, kept byte for byte as uploaded.
-- Rows are only added. The media type was decided from the content (JPEG, PNG or HEIC), never from a file name.
CREATE TABLE cc_attachment (
    id           uuid PRIMARY KEY,
    incident_id  uuid NOT NULL,
    media_type   text NOT NULL,
    size         integer NOT NULL,
    sha256       text NOT NULL,
    content      bytea NOT NULL,
    uploaded_by  text NOT NULL,
    uploaded_at  timestamptz NOT NULL
);
CREATE INDEX cc_attachment_incident ON cc_attachment (incident_id, uploaded_at);
-- Images are compressed already: store them out of line without trying to compress them again.
ALTER TABLE cc_attachment ALTER COLUMN content SET STORAGE EXTERNAL;
