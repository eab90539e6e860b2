-- Campaigns and their deliveries. A delivery is the durable unit of sending work: one row per
-- campaign and customer, with the decision taken at launch (queued, or skipped with its reasons).

CREATE TABLE campaigns (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL,
  purpose TEXT NOT NULL,
  channel TEXT NOT NULL,
  sku TEXT REFERENCES products (sku),
  filter JSONB NOT NULL DEFAULT '{}',
  template_id TEXT,
  status TEXT NOT NULL CHECK (status IN ('draft', 'running', 'paused', 'cancelled', 'done')),
  created_at TIMESTAMPTZ NOT NULL,
  launched_at TIMESTAMPTZ,
  as_of TIMESTAMPTZ
);

CREATE TABLE deliveries (
  id BIGSERIAL PRIMARY KEY,
  campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
  customer_id TEXT NOT NULL REFERENCES customers (id),
  state TEXT NOT NULL CHECK (state IN ('queued', 'skipped', 'claimed', 'sent', 'failed', 'cancelled')),
  basis TEXT,
  reasons TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  UNIQUE (campaign_id, customer_id)
);
CREATE INDEX deliveries_by_state ON deliveries (campaign_id, state, id);
