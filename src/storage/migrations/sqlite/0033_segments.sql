-- Segments (docs/segments-and-predictions.md): a rule tree, its members as last computed, and the
-- customers whose records changed since, so a refresh recomputes only them. Membership is derived
-- data (profiling, compliance.md §2 rule 7): an objection deletes the customer's memberships in the
-- same transaction (trigger below), and the refresh admits no objector.

CREATE TABLE segments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  description TEXT,
  rule TEXT NOT NULL,                  -- the rule tree, JSON
  time_dependent INTEGER NOT NULL CHECK (time_dependent IN (0, 1)),  -- windows of the last N days, "active": recomputed whole
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  computed_at TEXT,                    -- the instant the members are as of (null: never computed)
  member_count INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE segment_members (
  segment_id INTEGER NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
  customer_id TEXT NOT NULL,
  computed_at TEXT NOT NULL,
  PRIMARY KEY (segment_id, customer_id)
);
CREATE INDEX segment_members_by_customer ON segment_members (customer_id);

-- Customers whose records changed: written by the triggers below, so no write path can forget.
CREATE TABLE segment_changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_id TEXT NOT NULL
);

-- The changes one refresh run took (moved here from segment_changes in one statement, so a change
-- committed meanwhile stays for the next run); emptied before the run commits.
CREATE TABLE segment_refresh_batch (
  customer_id TEXT PRIMARY KEY
);

CREATE TRIGGER segment_changes_on_ledger AFTER INSERT ON ledger
BEGIN INSERT INTO segment_changes (customer_id) VALUES (NEW.customer_id); END;
CREATE TRIGGER segment_changes_on_order_insert AFTER INSERT ON orders
BEGIN INSERT INTO segment_changes (customer_id) VALUES (NEW.customer_id); END;
CREATE TRIGGER segment_changes_on_order_update AFTER UPDATE ON orders
BEGIN
  INSERT INTO segment_changes (customer_id) VALUES (NEW.customer_id);
  INSERT INTO segment_changes (customer_id) SELECT OLD.customer_id WHERE OLD.customer_id <> NEW.customer_id;
END;
CREATE TRIGGER segment_changes_on_order_delete AFTER DELETE ON orders
BEGIN INSERT INTO segment_changes (customer_id) VALUES (OLD.customer_id); END;
CREATE TRIGGER segment_changes_on_customer_insert AFTER INSERT ON customers
BEGIN INSERT INTO segment_changes (customer_id) VALUES (NEW.id); END;
-- Only the attributes a rule can name.
CREATE TRIGGER segment_changes_on_customer_update AFTER UPDATE OF id, kind, locale, country, city, postal_code ON customers
BEGIN
  INSERT INTO segment_changes (customer_id) VALUES (NEW.id);
  INSERT INTO segment_changes (customer_id) SELECT OLD.id WHERE OLD.id <> NEW.id;
END;
CREATE TRIGGER segment_changes_on_customer_delete AFTER DELETE ON customers
BEGIN
  INSERT INTO segment_changes (customer_id) VALUES (OLD.id);
  DELETE FROM segment_members WHERE customer_id = OLD.id;
END;
-- No trigger on tracking_events: a rule on opens and clicks is a window of the last N days, so its
-- segment is recomputed whole at every refresh, and the pixel's hot path writes nothing more.
CREATE TRIGGER segment_changes_on_product_category AFTER UPDATE OF category ON products
WHEN OLD.category IS NOT NEW.category
BEGIN INSERT INTO segment_changes (customer_id) SELECT DISTINCT customer_id FROM orders WHERE sku = NEW.sku; END;

-- Rule 7: an objection to direct marketing or to profiling deletes the person's memberships at once.
CREATE TRIGGER segment_members_gone_on_objection AFTER INSERT ON ledger
WHEN NEW.kind = 'objection' AND NEW.value = 'objected' AND NEW.purpose IN ('direct_marketing', 'profiling')
BEGIN
  UPDATE segments SET member_count = member_count - 1
    WHERE id IN (SELECT segment_id FROM segment_members WHERE customer_id = NEW.customer_id);
  DELETE FROM segment_members WHERE customer_id = NEW.customer_id;
END;

-- Orders dated ahead count from their start: a refresh also recomputes customers whose order began
-- since the last one (no write marks them when their start time arrives).
CREATE INDEX orders_by_start ON orders (started_at, customer_id);
