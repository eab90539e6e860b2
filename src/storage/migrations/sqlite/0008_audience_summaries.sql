-- Per-customer audience summaries: what the audience query needs from the ledger, the orders and
-- the suppressions, folded into one row per customer (docs/decisions/0003). A summary is a cache,
-- never the truth: every write that could change it marks the customer in audience_dirty (by the
-- triggers below, so no write path can forget), and the audience reads dirty customers, and those
-- whose records are newer than the question's time, from the records themselves.

CREATE TABLE audience_summaries (
  customer_id TEXT PRIMARY KEY,
  fixed_code INTEGER NOT NULL,         -- the part of the fact code no question changes: 1 business, 32/64 objects to direct marketing/profiling
  addresses INTEGER NOT NULL,          -- bit per channel (email 0, sms 1, phone 2, post 3): has an address
  suppressed INTEGER NOT NULL,         -- bit per channel: the address has any suppression entry
  consent_granted INTEGER NOT NULL,    -- bit per purpose x channel: the latest consent record is a grant
  consent_withdrawn INTEGER NOT NULL,  -- ... is a withdrawal
  ordered_categories INTEGER NOT NULL, -- bit per category name hash: may have ordered in it (no bit: certainly not)
  ledger_through TEXT,                 -- time of the customer's latest ledger record
  first_order_at TEXT,
  orders_through TEXT                  -- start of the customer's latest order
) WITHOUT ROWID;

-- The customers a question cannot take from the summary are found through these (see needsRecordsSql).
CREATE INDEX audience_summaries_by_ledger_time ON audience_summaries (ledger_through);
CREATE INDEX audience_summaries_by_order_time ON audience_summaries (orders_through);

-- Per customer and product category: the last end of an order (far future while one is active),
-- overall and among orders where the marketing opt-out was offered.
CREATE TABLE audience_category_orders (
  customer_id TEXT NOT NULL,
  category TEXT NOT NULL,
  last_end TEXT NOT NULL,
  last_end_opt_out TEXT,
  PRIMARY KEY (customer_id, category)
) WITHOUT ROWID;

-- A mark is an appended row, nothing more (no index, no lookup): an import marks each customer
-- several times, and the refresh reads the distinct ones once. Marks up to the refresh's start are
-- removed when it ends; a mark made meanwhile stays for the next one.
CREATE TABLE audience_dirty (
  seq INTEGER PRIMARY KEY,
  customer_id TEXT NOT NULL
);

INSERT INTO audience_dirty (customer_id) SELECT id FROM customers;

CREATE TRIGGER audience_dirty_on_ledger AFTER INSERT ON ledger
BEGIN INSERT INTO audience_dirty (customer_id) VALUES (NEW.customer_id); END;

CREATE TRIGGER audience_dirty_on_order_insert AFTER INSERT ON orders
BEGIN INSERT INTO audience_dirty (customer_id) VALUES (NEW.customer_id); END;
CREATE TRIGGER audience_dirty_on_order_update AFTER UPDATE ON orders
WHEN OLD.customer_id IS NOT NEW.customer_id OR OLD.sku IS NOT NEW.sku OR OLD.started_at IS NOT NEW.started_at
  OR OLD.ended_at IS NOT NEW.ended_at OR OLD.opt_out_offered IS NOT NEW.opt_out_offered
BEGIN
  INSERT INTO audience_dirty (customer_id) VALUES (NEW.customer_id);
  INSERT INTO audience_dirty (customer_id) SELECT OLD.customer_id WHERE OLD.customer_id <> NEW.customer_id;
END;
CREATE TRIGGER audience_dirty_on_order_delete AFTER DELETE ON orders
BEGIN INSERT INTO audience_dirty (customer_id) VALUES (OLD.customer_id); END;

CREATE TRIGGER audience_dirty_on_customer_insert AFTER INSERT ON customers
BEGIN INSERT INTO audience_dirty (customer_id) VALUES (NEW.id); END;
CREATE TRIGGER audience_dirty_on_customer_update AFTER UPDATE OF id, kind, email, phone, postal_key ON customers
WHEN OLD.id IS NOT NEW.id OR OLD.kind IS NOT NEW.kind OR OLD.email IS NOT NEW.email OR OLD.phone IS NOT NEW.phone
  OR OLD.postal_key IS NOT NEW.postal_key
BEGIN
  INSERT INTO audience_dirty (customer_id) VALUES (NEW.id);
  INSERT INTO audience_dirty (customer_id) SELECT OLD.id WHERE OLD.id <> NEW.id;
END;
CREATE TRIGGER audience_dirty_on_customer_delete AFTER DELETE ON customers
BEGIN INSERT INTO audience_dirty (customer_id) VALUES (OLD.id); END;

-- A suppression is keyed by address: every customer holding that address on the channel changes.
CREATE TRIGGER audience_dirty_on_suppression_insert AFTER INSERT ON suppressions
BEGIN
  INSERT INTO audience_dirty (customer_id) SELECT id FROM customers WHERE NEW.channel = 'email' AND email = NEW.address;
  INSERT INTO audience_dirty (customer_id) SELECT id FROM customers WHERE NEW.channel IN ('sms', 'phone') AND phone = NEW.address;
  INSERT INTO audience_dirty (customer_id) SELECT id FROM customers WHERE NEW.channel = 'post' AND postal_key = NEW.address;
END;
CREATE TRIGGER audience_dirty_on_suppression_delete AFTER DELETE ON suppressions
BEGIN
  INSERT INTO audience_dirty (customer_id) SELECT id FROM customers WHERE OLD.channel = 'email' AND email = OLD.address;
  INSERT INTO audience_dirty (customer_id) SELECT id FROM customers WHERE OLD.channel IN ('sms', 'phone') AND phone = OLD.address;
  INSERT INTO audience_dirty (customer_id) SELECT id FROM customers WHERE OLD.channel = 'post' AND postal_key = OLD.address;
END;

-- A product moved to another category changes what is "similar" for everyone who ordered it.
CREATE TRIGGER audience_dirty_on_product_category AFTER UPDATE OF category ON products
WHEN OLD.category IS NOT NEW.category
BEGIN INSERT INTO audience_dirty (customer_id) SELECT DISTINCT customer_id FROM orders WHERE sku = NEW.sku; END;
