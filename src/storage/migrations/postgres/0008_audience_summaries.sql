-- Per-customer audience summaries: what the audience query needs from the ledger, the orders and
-- the suppressions, folded into one row per customer (docs/decisions/0003). A summary is a cache,
-- never the truth: every write that could change it marks the customer in audience_dirty (by the
-- statement triggers below, so no write path can forget), and the audience reads dirty customers,
-- and those whose records are newer than the question's time, from the records themselves.

CREATE TABLE audience_summaries (
  customer_id TEXT PRIMARY KEY,
  fixed_code INTEGER NOT NULL,         -- the part of the fact code no question changes: 1 business, 32/64 objects to direct marketing/profiling
  addresses INTEGER NOT NULL,          -- bit per channel (email 0, sms 1, phone 2, post 3): has an address
  suppressed INTEGER NOT NULL,         -- bit per channel: the address has any suppression entry
  consent_granted BIGINT NOT NULL,     -- bit per purpose x channel: the latest consent record is a grant
  consent_withdrawn BIGINT NOT NULL,   -- ... is a withdrawal
  ordered_categories BIGINT NOT NULL,  -- bit per category name hash: may have ordered in it (no bit: certainly not)
  ledger_through TIMESTAMPTZ,          -- time of the customer's latest ledger record
  first_order_at TIMESTAMPTZ,
  orders_through TIMESTAMPTZ           -- start of the customer's latest order
);

-- The customers a question cannot take from the summary are found through these (see needsRecordsSql).
CREATE INDEX audience_summaries_by_ledger_time ON audience_summaries (ledger_through);
CREATE INDEX audience_summaries_by_order_time ON audience_summaries (orders_through);

-- Per customer and product category: the last end of an order ('infinity' while one is active),
-- overall and among orders where the marketing opt-out was offered.
CREATE TABLE audience_category_orders (
  customer_id TEXT NOT NULL,
  category TEXT NOT NULL,
  last_end TIMESTAMPTZ NOT NULL,
  last_end_opt_out TIMESTAMPTZ,
  PRIMARY KEY (customer_id, category)
);

CREATE TABLE audience_dirty (
  seq BIGSERIAL PRIMARY KEY,
  customer_id TEXT NOT NULL
);
CREATE INDEX audience_dirty_by_customer ON audience_dirty (customer_id);

INSERT INTO audience_dirty (customer_id) SELECT id FROM customers;

-- Statement-level triggers see all the statement's rows at once (transition tables), so a bulk
-- upsert marks its customers with one insert instead of one per row.
CREATE FUNCTION audience_dirty_from_customer_ids() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO audience_dirty (customer_id) SELECT DISTINCT customer_id FROM new_rows;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO audience_dirty (customer_id) SELECT DISTINCT customer_id FROM old_rows;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER audience_dirty_on_ledger AFTER INSERT ON ledger
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audience_dirty_from_customer_ids();
CREATE TRIGGER audience_dirty_on_order_insert AFTER INSERT ON orders
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audience_dirty_from_customer_ids();
CREATE TRIGGER audience_dirty_on_order_update AFTER UPDATE ON orders
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audience_dirty_from_customer_ids();
CREATE TRIGGER audience_dirty_on_order_delete AFTER DELETE ON orders
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audience_dirty_from_customer_ids();

CREATE FUNCTION audience_dirty_from_customers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO audience_dirty (customer_id) SELECT id FROM new_rows;
  ELSIF TG_OP = 'UPDATE' THEN
    -- Only changes the summary reads: kind and the channel addresses.
    INSERT INTO audience_dirty (customer_id)
      SELECT n.id FROM new_rows n LEFT JOIN old_rows o ON o.id = n.id
      WHERE o.id IS NULL OR (n.kind, n.email, n.phone, n.postal_key) IS DISTINCT FROM (o.kind, o.email, o.phone, o.postal_key);
    INSERT INTO audience_dirty (customer_id) SELECT o.id FROM old_rows o WHERE NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.id = o.id);
  ELSE
    INSERT INTO audience_dirty (customer_id) SELECT id FROM old_rows;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER audience_dirty_on_customer_insert AFTER INSERT ON customers
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audience_dirty_from_customers();
CREATE TRIGGER audience_dirty_on_customer_update AFTER UPDATE ON customers
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audience_dirty_from_customers();
CREATE TRIGGER audience_dirty_on_customer_delete AFTER DELETE ON customers
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audience_dirty_from_customers();

-- A suppression is keyed by address: every customer holding that address on the channel changes.
CREATE FUNCTION audience_dirty_from_suppressions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO audience_dirty (customer_id)
      SELECT c.id FROM new_rows s JOIN customers c ON s.channel = 'email' AND c.email = s.address
      UNION SELECT c.id FROM new_rows s JOIN customers c ON s.channel IN ('sms', 'phone') AND c.phone = s.address
      UNION SELECT c.id FROM new_rows s JOIN customers c ON s.channel = 'post' AND c.postal_key = s.address;
  ELSE
    INSERT INTO audience_dirty (customer_id)
      SELECT c.id FROM old_rows s JOIN customers c ON s.channel = 'email' AND c.email = s.address
      UNION SELECT c.id FROM old_rows s JOIN customers c ON s.channel IN ('sms', 'phone') AND c.phone = s.address
      UNION SELECT c.id FROM old_rows s JOIN customers c ON s.channel = 'post' AND c.postal_key = s.address;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER audience_dirty_on_suppression_insert AFTER INSERT ON suppressions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audience_dirty_from_suppressions();
CREATE TRIGGER audience_dirty_on_suppression_delete AFTER DELETE ON suppressions
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audience_dirty_from_suppressions();

-- A product moved to another category changes what is "similar" for everyone who ordered it.
CREATE FUNCTION audience_dirty_from_products() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audience_dirty (customer_id)
    SELECT DISTINCT o.customer_id FROM new_rows n JOIN old_rows p ON p.sku = n.sku AND p.category IS DISTINCT FROM n.category
    JOIN orders o ON o.sku = n.sku;
  RETURN NULL;
END $$;

CREATE TRIGGER audience_dirty_on_product_update AFTER UPDATE ON products
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audience_dirty_from_products();
