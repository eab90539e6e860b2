-- Ad audiences (docs/sites-and-ads.md): a selection bound to an audience on Meta or Google, the
-- hashed identifiers last sent to it (so a sync sends only the difference), and each sync's outcome.
-- Only SHA-256 hashes are kept of what was sent; nothing of what the platform matched (it does not
-- say, compliance.md §2 rule 8).

CREATE TABLE ad_audiences (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  platform TEXT NOT NULL CHECK (platform IN ('meta', 'google')),
  external_id TEXT NOT NULL,           -- Meta's custom audience id or Google's user list id
  filter TEXT NOT NULL,                -- the audience filter, JSON (the shape campaigns use)
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
);

-- What the platform holds from us after the last successful sync: one row per hashed identifier.
CREATE TABLE ad_audience_identifiers (
  audience_id INTEGER NOT NULL REFERENCES ad_audiences (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('email', 'phone')),
  hash TEXT NOT NULL CHECK (length(hash) = 64),
  sent_at TEXT NOT NULL,
  PRIMARY KEY (audience_id, kind, hash)
) WITHOUT ROWID;

CREATE TABLE ad_audience_syncs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  audience_id INTEGER NOT NULL REFERENCES ad_audiences (id) ON DELETE CASCADE,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('succeeded', 'failed')),
  eligible INTEGER NOT NULL,
  blocked TEXT NOT NULL,               -- excluded customers by reason code, JSON
  added INTEGER NOT NULL,
  removed INTEGER NOT NULL,
  error TEXT                           -- an error code, never personal data
);
CREATE INDEX ad_audience_syncs_by_audience ON ad_audience_syncs (audience_id, id);
