-- Campaigns and their deliveries. A delivery is the durable unit of sending work: one row per
-- campaign and customer, with the decision taken at launch (queued, or skipped with its reasons).

CREATE TABLE campaigns (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  purpose TEXT NOT NULL,
  channel TEXT NOT NULL,
  sku TEXT REFERENCES products (sku),
  filter TEXT NOT NULL DEFAULT '{}',      -- the audience filter, JSON
  template_id TEXT,
  status TEXT NOT NULL CHECK (status IN ('draft', 'running', 'paused', 'cancelled', 'done')),
  created_at TEXT NOT NULL,
  launched_at TEXT,
  as_of TEXT                               -- the decision time used at launch
);

CREATE TABLE deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
  customer_id TEXT NOT NULL REFERENCES customers (id),
  state TEXT NOT NULL CHECK (state IN ('queued', 'skipped', 'claimed', 'sent', 'failed', 'cancelled')),
  basis TEXT,
  reasons TEXT NOT NULL,                   -- reason codes, comma-separated, as decided at launch
  created_at TEXT NOT NULL,
  UNIQUE (campaign_id, customer_id)
);
CREATE INDEX deliveries_by_state ON deliveries (campaign_id, state, id);
