-- The brand a campaign sends as (its From and DKIM key when it names no From of its own); null:
-- the default brand, made of LUPA_SENDER_NAME, LUPA_SENDER_ADDRESS and LUPA_DKIM_*.
ALTER TABLE campaigns ADD COLUMN brand TEXT;
-- A sender's recorded decision to send from a domain its DKIM signature (or return path) does not
-- align with (DMARC, RFC 7489): why, who and when. Null: no such permission, and a launch from an
-- unaligned domain is refused (LAUNCH_NOT_DELIVERABLE).
ALTER TABLE campaigns ADD COLUMN unaligned_from_reason TEXT;
ALTER TABLE campaigns ADD COLUMN unaligned_from_by TEXT;
ALTER TABLE campaigns ADD COLUMN unaligned_from_at TEXT;
