-- Offers and the next best offer (docs/segments-and-predictions.md, "Offers"): a catalogue of
-- offers (a product at a price for a period, on some channels, valid for a while, for whom), and
-- what became of each offer shown to a customer. Outcomes are appended, never changed; "ignored"
-- is not written: it is a shown offer with no answer within 14 days, derived when rates are read.
CREATE TABLE offers (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  sku TEXT NOT NULL REFERENCES products (sku),
  price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
  currency TEXT NOT NULL DEFAULT 'EUR',
  period_months INTEGER NOT NULL CHECK (period_months > 0),
  channels TEXT NOT NULL,              -- comma-separated: web, phone, email
  valid_from TEXT NOT NULL,
  valid_until TEXT,                    -- null: no end
  segment_id INTEGER,                  -- only members of this segment (no foreign key: a removed segment admits nobody)
  exclude_subscribed INTEGER NOT NULL DEFAULT 1 CHECK (exclude_subscribed IN (0, 1)),
  min_days_since_last_offer INTEGER NOT NULL DEFAULT 0 CHECK (min_days_since_last_offer >= 0),
  relationship TEXT NOT NULL DEFAULT 'any' CHECK (relationship IN ('any', 'active', 'former', 'none')),
  value_weight REAL,                   -- null: the value is price × period
  explanation TEXT NOT NULL,           -- JSON {"fi": …, "sv": …, "en": …}
  priority INTEGER NOT NULL DEFAULT 100,  -- the non-personal order: lower first
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE offer_outcomes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  offer_id INTEGER NOT NULL REFERENCES offers (id),
  customer_id TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('web', 'phone', 'email')),
  outcome TEXT NOT NULL CHECK (outcome IN ('shown', 'accepted', 'declined')),
  at TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  source TEXT NOT NULL,                -- who recorded it: an actor id, "site", "campaign"
  campaign_id INTEGER
);
-- A customer's last offer of each offer (the minimum time since it), and the rates per offer.
CREATE INDEX offer_outcomes_by_customer ON offer_outcomes (customer_id, offer_id, at);
CREATE INDEX offer_outcomes_by_offer ON offer_outcomes (offer_id, outcome);

CREATE TRIGGER offer_outcomes_append_only BEFORE UPDATE ON offer_outcomes
BEGIN SELECT RAISE(ABORT, 'offer outcomes are appended, never changed'); END;
