-- Ad audiences (docs/sites-and-ads.md): a selection bound to an audience on Meta or Google, the
-- hashed identifiers last sent to it (so a sync sends only the difference), and each sync's outcome.
-- Only SHA-256 hashes are kept of what was sent; nothing of what the platform matched (it does not
-- say, compliance.md §2 rule 8).

CREATE TABLE ad_audiences (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  platform TEXT NOT NULL CHECK (platform IN ('meta', 'google')),
  external_id TEXT NOT NULL,
  filter TEXT NOT NULL,                -- the audience filter, JSON
  created_at TIMESTAMPTZ NOT NULL,
  created_by TEXT NOT NULL
);

-- What the platform holds from us after the last successful sync: one row per hashed identifier.
CREATE TABLE ad_audience_identifiers (
  audience_id BIGINT NOT NULL REFERENCES ad_audiences (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('email', 'phone')),
  hash TEXT NOT NULL CHECK (length(hash) = 64),
  sent_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (audience_id, kind, hash)
);

CREATE TABLE ad_audience_syncs (
  id BIGSERIAL PRIMARY KEY,
  audience_id BIGINT NOT NULL REFERENCES ad_audiences (id) ON DELETE CASCADE,
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('succeeded', 'failed')),
  eligible INTEGER NOT NULL,
  blocked TEXT NOT NULL,               -- excluded customers by reason code, JSON
  added INTEGER NOT NULL,
  removed INTEGER NOT NULL,
  error TEXT                           -- an error code, never personal data
);
CREATE INDEX ad_audience_syncs_by_audience ON ad_audience_syncs (audience_id, id);
