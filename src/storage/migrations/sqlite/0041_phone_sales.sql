-- Phone sales waiting for the consumer's written acceptance (docs/decisions/0025; Consumer
-- Protection Act ch. 6, compliance.md §3b). A pending sale is not an order: it becomes one (a row in
-- `orders`, id `phone-sale-<id>`) only when accepted, or at once when the law's exception applies,
-- so nothing that reads orders ever counts it. One sale per call.

CREATE TABLE phone_sales (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  call_id INTEGER NOT NULL UNIQUE REFERENCES calls (id),
  customer_id TEXT NOT NULL REFERENCES customers (id),
  agent TEXT NOT NULL,
  sku TEXT NOT NULL REFERENCES products (sku),
  product_name TEXT NOT NULL,
  offer_id INTEGER,
  offer_code TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('fixed_term', 'continuous')),
  period_months INTEGER NOT NULL CHECK (period_months >= 1),
  price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
  currency TEXT NOT NULL,
  regular_monthly_cents INTEGER CHECK (regular_monthly_cents >= 0),
  basis TEXT NOT NULL CHECK (basis IN ('written_acceptance', 'inbound_call', 'requested_call')),
  request_evidence TEXT,
  delivery TEXT NOT NULL CHECK (delivery IN ('email', 'sms')),
  delivered_to TEXT NOT NULL,
  created_at TEXT NOT NULL,
  accept_by TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'lapsed', 'bound')),
  offer_sent_at TEXT,
  offer_message_id TEXT,
  accepted_at TEXT,
  order_id TEXT UNIQUE,
  lapsed_at TEXT,
  -- The state and its facts go together: an order exists exactly for a sale that binds.
  CHECK ((state IN ('accepted', 'bound')) = (order_id IS NOT NULL)),
  CHECK ((state = 'accepted') = (accepted_at IS NOT NULL)),
  CHECK (kind = 'continuous' OR regular_monthly_cents IS NULL),
  CHECK (state <> 'bound' OR basis <> 'written_acceptance')
);
CREATE INDEX phone_sales_by_customer ON phone_sales (customer_id, id);
CREATE INDEX phone_sales_pending ON phone_sales (state, accept_by);
