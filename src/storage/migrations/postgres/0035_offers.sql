-- Offers and the next best offer (docs/segments-and-predictions.md, "Offers"): a catalogue of
-- offers (a product at a price for a period, on some channels, valid for a while, for whom), and
-- what became of each offer shown to a customer. Outcomes are appended, never changed; "ignored"
-- is not written: it is a shown offer with no answer within 14 days, derived when rates are read.
CREATE TABLE offers (
  id BIGSERIAL PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  sku TEXT NOT NULL REFERENCES products (sku),
  price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
  currency TEXT NOT NULL DEFAULT 'EUR',
  period_months INTEGER NOT NULL CHECK (period_months > 0),
  channels TEXT NOT NULL,
  valid_from TIMESTAMPTZ NOT NULL,
  valid_until TIMESTAMPTZ,
  segment_id BIGINT,
  exclude_subscribed BOOLEAN NOT NULL DEFAULT TRUE,
  min_days_since_last_offer INTEGER NOT NULL DEFAULT 0 CHECK (min_days_since_last_offer >= 0),
  relationship TEXT NOT NULL DEFAULT 'any' CHECK (relationship IN ('any', 'active', 'former', 'none')),
  value_weight DOUBLE PRECISION,
  explanation JSONB NOT NULL,
  priority INTEGER NOT NULL DEFAULT 100,
  created_at TIMESTAMPTZ NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE offer_outcomes (
  seq BIGSERIAL PRIMARY KEY,
  offer_id BIGINT NOT NULL REFERENCES offers (id),
  customer_id TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('web', 'phone', 'email')),
  outcome TEXT NOT NULL CHECK (outcome IN ('shown', 'accepted', 'declined')),
  at TIMESTAMPTZ NOT NULL,
  recorded_at TIMESTAMPTZ NOT NULL,
  source TEXT NOT NULL,
  campaign_id BIGINT
);
CREATE INDEX offer_outcomes_by_customer ON offer_outcomes (customer_id, offer_id, at);
CREATE INDEX offer_outcomes_by_offer ON offer_outcomes (offer_id, outcome);

CREATE FUNCTION lupa_offer_outcomes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'offer outcomes are appended, never changed';
END $$;
CREATE TRIGGER offer_outcomes_append_only BEFORE UPDATE ON offer_outcomes
  FOR EACH ROW EXECUTE FUNCTION lupa_offer_outcomes_append_only();
