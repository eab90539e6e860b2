-- Bounces act only on the delivery they are bound to, and on that delivery's own address: the
-- address a delivery was handed off to is kept with it.
ALTER TABLE deliveries ADD COLUMN sent_to TEXT;

-- A refusal caused by the sender (block list, reputation, content, authentication, policy): counted
-- for the campaign, never a suppression of the recipient. One per delivery, its reason (Sisimai's word).
CREATE TABLE delivery_refusals (
  delivery_id INTEGER PRIMARY KEY REFERENCES deliveries (id),
  campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
  reason TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX delivery_refusals_by_campaign ON delivery_refusals (campaign_id);

-- Reports bound to no delivery, held for a person to look at: they change nothing. The message is
-- kept up to a bound (truncated says when it was cut); its size is the whole message's.
CREATE TABLE held_reports (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  received_at TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  reason TEXT NOT NULL,
  message BLOB NOT NULL,
  truncated INTEGER NOT NULL
);
