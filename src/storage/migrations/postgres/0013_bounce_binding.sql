-- Bounces act only on the delivery they are bound to, and on that delivery's own address: the
-- address a delivery was handed off to is kept with it.
ALTER TABLE deliveries ADD COLUMN sent_to TEXT;

-- A refusal caused by the sender (block list, reputation, content, authentication, policy): counted
-- for the campaign, never a suppression of the recipient. One per delivery, its reason (Sisimai's word).
CREATE TABLE delivery_refusals (
  delivery_id BIGINT PRIMARY KEY REFERENCES deliveries (id),
  campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
  reason TEXT NOT NULL,
  at TIMESTAMPTZ NOT NULL
);
CREATE INDEX delivery_refusals_by_campaign ON delivery_refusals (campaign_id);

-- Reports bound to no delivery, held for a person to look at: they change nothing. The message is
-- kept up to a bound (truncated says when it was cut); its size is the whole message's.
CREATE TABLE held_reports (
  id BIGSERIAL PRIMARY KEY,
  received_at TIMESTAMPTZ NOT NULL,
  size_bytes INTEGER NOT NULL,
  reason TEXT NOT NULL,
  message BYTEA NOT NULL,
  truncated BOOLEAN NOT NULL
);
