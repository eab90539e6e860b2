-- Events from the sites (docs/sites-and-ads.md): per visitor only with site_ads consent (the SDK
-- sends a visitor id only then, and the server refuses one without it); without consent a count per
-- site, page, slot, event name and hour, with no identifier.
--
-- site_events is partitioned by day on `at` (declarative range partitions). The server creates the
-- partitions ahead (src/storage/site-events/postgres-site-event-partitions.ts) and retention
-- (LUPA_SITE_EVENT_RETENTION_DAYS) drops whole partitions: no row-by-row delete.

CREATE TABLE site_events (
  id BIGSERIAL NOT NULL,
  at TIMESTAMPTZ NOT NULL,
  site TEXT NOT NULL,
  visitor_id TEXT NOT NULL,
  customer_id TEXT,
  type TEXT NOT NULL CHECK (type IN ('page', 'track')),
  name TEXT NOT NULL,
  page TEXT NOT NULL,
  slot TEXT,
  props TEXT,
  client_at TIMESTAMPTZ,
  PRIMARY KEY (at, id)
) PARTITION BY RANGE (at);
CREATE INDEX site_events_visitor ON site_events (visitor_id, at);
CREATE INDEX site_events_customer ON site_events (customer_id, at) WHERE customer_id IS NOT NULL;
CREATE INDEX site_events_name ON site_events (name, at);

CREATE TABLE site_visitors (
  visitor_id TEXT PRIMARY KEY,
  site TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  identified_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX site_visitors_customer ON site_visitors (customer_id);

CREATE TABLE site_event_counts (
  site TEXT NOT NULL,
  hour TIMESTAMPTZ NOT NULL,
  page TEXT NOT NULL,
  slot TEXT NOT NULL,
  name TEXT NOT NULL,
  count BIGINT NOT NULL CHECK (count > 0),
  PRIMARY KEY (site, hour, page, slot, name)
);
CREATE INDEX site_event_counts_hour ON site_event_counts (hour);
