-- An instruction's recipient that missed a deadline, escalated by the issuer to its superior level (issue 16,
-- 上级督办): when, and to which area (a village's township, a township's county), once.
ALTER TABLE cc_instruction_recipient
    ADD COLUMN escalated_at timestamptz NULL,
    ADD COLUMN escalated_to text        NULL;
CREATE INDEX cc_instruction_recipient_escalated ON cc_instruction_recipient (escalated_to) WHERE escalated_to IS NOT NULL AND reported_at IS NULL;
