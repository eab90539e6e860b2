-- Call records and call recordings (docs/calls-and-recordings.md). A call's "don't call me" is a
-- ledger record written in the call's own transaction; a recording's audio is in the file store,
-- encrypted, and only its metadata is here. A recording never starts before its notice (rule 10):
-- the database refuses one that does, whatever wrote it.

CREATE TABLE calls (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  external_id TEXT UNIQUE,             -- the telephony system's id: the same call is stored once
  direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  agent TEXT NOT NULL,
  customer_id TEXT NOT NULL REFERENCES customers (id),
  number TEXT NOT NULL,                -- E.164
  started_at TEXT NOT NULL,
  ended_at TEXT,
  queue TEXT,
  call_list TEXT,
  purpose TEXT NOT NULL CHECK (purpose IN ('service', 'telesales')),
  outcome TEXT NOT NULL CHECK (outcome IN ('reached', 'no_answer', 'refused', 'do_not_call', 'sale', 'callback')),
  callback_at TEXT,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL
);
CREATE INDEX calls_by_customer ON calls (customer_id, started_at);

CREATE TABLE call_recordings (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  call_id INTEGER NOT NULL REFERENCES calls (id),
  customer_id TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('wav', 'mp3', 'opus')),
  bytes INTEGER NOT NULL,
  started_at TEXT NOT NULL,
  notice_played_at TEXT NOT NULL,
  retention_ends_at TEXT NOT NULL,
  file_key TEXT NOT NULL UNIQUE,
  attached_at TEXT NOT NULL,
  attached_by TEXT NOT NULL,
  CHECK (started_at >= notice_played_at)
);
CREATE INDEX call_recordings_by_call ON call_recordings (call_id);
CREATE INDEX call_recordings_by_retention ON call_recordings (retention_ends_at);

-- What each purge run deleted: how many, up to when, by whom; never whose.
CREATE TABLE recording_purges (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  due_before TEXT NOT NULL,
  deleted INTEGER NOT NULL,
  actor TEXT NOT NULL
);
