-- A campaign can be given a time to start: a draft with send_at is launched by a worker once the
-- time has come (the audience is decided then, not when the campaign was scheduled).
ALTER TABLE campaigns ADD COLUMN send_at TIMESTAMPTZ;
-- Every worker asks for due drafts on each poll; only scheduled drafts are in this index.
CREATE INDEX campaigns_due ON campaigns (send_at) WHERE status = 'draft' AND send_at IS NOT NULL;
