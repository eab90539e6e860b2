-- Events from the sites (docs/sites-and-ads.md): per visitor only with site_ads consent (the SDK
-- sends a visitor id only then, and the server refuses one without it); without consent a count per
-- site, page, slot, event name and hour, with no identifier. Retention (LUPA_SITE_EVENT_RETENTION_DAYS)
-- deletes old rows in chunks; on PostgreSQL the event table is partitioned by day instead.

CREATE TABLE site_events (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,                    -- when Lupa received it (ISO-8601 UTC)
  site TEXT NOT NULL,
  visitor_id TEXT NOT NULL,
  customer_id TEXT,                    -- set when the visitor signed in (now or later: identity stitching)
  type TEXT NOT NULL CHECK (type IN ('page', 'track')),
  name TEXT NOT NULL,
  page TEXT NOT NULL,                  -- path only, never a query string
  slot TEXT,
  props TEXT,                          -- JSON, small and flat
  client_at TEXT
);
CREATE INDEX site_events_at ON site_events (at);
CREATE INDEX site_events_visitor ON site_events (visitor_id, at);
CREATE INDEX site_events_customer ON site_events (customer_id, at) WHERE customer_id IS NOT NULL;
CREATE INDEX site_events_name ON site_events (name, at);

-- Which customer a visitor signed in as last (the site's back end signed the token).
CREATE TABLE site_visitors (
  visitor_id TEXT PRIMARY KEY,
  site TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  identified_at TEXT NOT NULL
);
CREATE INDEX site_visitors_customer ON site_visitors (customer_id);

-- Events of visitors without site_ads consent: counted, never kept per visitor.
CREATE TABLE site_event_counts (
  site TEXT NOT NULL,
  hour TEXT NOT NULL,
  page TEXT NOT NULL,
  slot TEXT NOT NULL,                  -- '' when the event named no ad slot
  name TEXT NOT NULL,
  count INTEGER NOT NULL CHECK (count > 0),
  PRIMARY KEY (site, hour, page, slot, name)
);
CREATE INDEX site_event_counts_hour ON site_event_counts (hour);
