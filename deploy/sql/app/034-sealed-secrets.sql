-- The rating-link key encrypted at rest (#20): sealed_by is the thumbprint of the certificate (CommandCenter:Keys)
-- whose public key encrypted value; NULL for a key an earlier version stored in plaintext, which the next web node to
-- read it encrypts in place (the same key, so the links already sent stay valid).
ALTER TABLE cc_secret ADD COLUMN IF NOT EXISTS sealed_by text;
