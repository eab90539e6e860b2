-- A campaign can be given a time to start: a draft with send_at is launched by a worker once the
-- time has come (the audience is decided then, not when the campaign was scheduled).
ALTER TABLE campaigns ADD COLUMN send_at TEXT;
-- Every worker asks for due drafts on each poll; only scheduled drafts are in this index.
CREATE INDEX campaigns_due ON campaigns (send_at) WHERE status = 'draft' AND send_at IS NOT NULL;

-- Hand-offs per channel and one-second window, counted by every worker on the database
-- (LUPA_CHANNEL_RATES). A worker takes what is left of a window's limit in one statement; `granted`
-- is what the latest take of the row got, so that statement can return it. Windows older than a
-- minute are deleted by the workers.
CREATE TABLE channel_rate (
  channel TEXT NOT NULL,
  second TEXT NOT NULL,                    -- the window's start, ISO-8601 with .000Z
  taken INTEGER NOT NULL CHECK (taken >= 0),
  granted INTEGER NOT NULL,
  PRIMARY KEY (channel, second)
);
