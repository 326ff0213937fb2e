-- Photos served without their location and device metadata (#20): content becomes the copy everyone is shown (decoded,
-- turned upright, encoded again without EXIF/XMP/IPTC; media_type, size and sha256 describe it), original the upload
-- byte for byte, for the roles that may ask for it (CommandCenter:Attachments:OriginalRoles).
-- Photos stored before this have original NULL: their content is still the upload itself, and is cleaned each time it
-- is served (StoredPhoto.Served), so that none of them shows its GPS to a role that may not see the original.
ALTER TABLE cc_attachment ADD COLUMN IF NOT EXISTS original bytea;
ALTER TABLE cc_attachment ALTER COLUMN original SET STORAGE EXTERNAL;
ALTER TABLE cc_patrol_photo ADD COLUMN IF NOT EXISTS original bytea;
ALTER TABLE cc_patrol_photo ALTER COLUMN original SET STORAGE EXTERNAL;
ALTER TABLE cc_instruction_photo ADD COLUMN IF NOT EXISTS original bytea;
ALTER TABLE cc_instruction_photo ALTER COLUMN original SET STORAGE EXTERNAL;
