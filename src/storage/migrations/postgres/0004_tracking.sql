-- Links of a campaign's messages (a click goes only to the URL stored here) and tracking events.
-- An event names its delivery only where per-person tracking is allowed; otherwise it counts for
-- the campaign alone (compliance.md §2 rule 9).
CREATE TABLE campaign_links (
  campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
  idx INTEGER NOT NULL,
  url TEXT NOT NULL,
  PRIMARY KEY (campaign_id, idx)
);

CREATE TABLE tracking_events (
  id BIGSERIAL PRIMARY KEY,
  campaign_id BIGINT NOT NULL,
  delivery_id BIGINT,
  kind TEXT NOT NULL CHECK (kind IN ('open', 'click')),
  link_idx INTEGER,
  at TIMESTAMPTZ NOT NULL,
  machine BOOLEAN NOT NULL,
  machine_reason TEXT
);
CREATE INDEX tracking_by_campaign ON tracking_events (campaign_id, kind, machine);
