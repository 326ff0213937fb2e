-- Cameras' stream addresses (issue 6), checked against the allow-list when imported or edited. Kept out of the
-- registry copy that every host loads and lists, since an address may carry the camera's credentials.
ALTER TABLE cc_camera ADD COLUMN stream_url text NULL;
