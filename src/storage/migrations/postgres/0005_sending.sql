-- What sending needs: templates, a campaign's template and sender, and each delivery's claim
-- (by which worker, until when), attempts and outcome.
CREATE TABLE templates (
  id TEXT PRIMARY KEY,
  definition JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);

ALTER TABLE campaigns ADD COLUMN from_name TEXT;
ALTER TABLE campaigns ADD COLUMN from_address TEXT;
ALTER TABLE campaigns ADD COLUMN per_second INTEGER;

ALTER TABLE deliveries ADD COLUMN claimed_by TEXT;
ALTER TABLE deliveries ADD COLUMN lease_until TIMESTAMPTZ;
ALTER TABLE deliveries ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN sent_at TIMESTAMPTZ;
ALTER TABLE deliveries ADD COLUMN message_id TEXT;
ALTER TABLE deliveries ADD COLUMN last_error TEXT;
