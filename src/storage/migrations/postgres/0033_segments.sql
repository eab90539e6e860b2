-- Segments (docs/segments-and-predictions.md): a rule tree, its members as last computed, and the
-- customers whose records changed since, so a refresh recomputes only them. Membership is derived
-- data (profiling, compliance.md §2 rule 7): an objection deletes the customer's memberships in the
-- same transaction (trigger below), and the refresh admits no objector.

CREATE TABLE segments (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  description TEXT,
  rule TEXT NOT NULL,                  -- the rule tree, JSON
  time_dependent BOOLEAN NOT NULL,     -- windows of the last N days, "active": recomputed whole
  created_at TIMESTAMPTZ NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  computed_at TIMESTAMPTZ,             -- the instant the members are as of (null: never computed)
  member_count BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE segment_members (
  segment_id BIGINT NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
  customer_id TEXT NOT NULL,
  computed_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (segment_id, customer_id)
);
CREATE INDEX segment_members_by_customer ON segment_members (customer_id);

-- Customers whose records changed: written by the statement triggers below (one insert per
-- statement through its transition table), so no write path can forget and bulk writes stay cheap.
CREATE TABLE segment_changes (
  seq BIGSERIAL PRIMARY KEY,
  customer_id TEXT NOT NULL
);

-- The changes one refresh run took (moved here from segment_changes in one statement, so a change
-- committed meanwhile stays for the next run); emptied before the run commits.
CREATE TABLE segment_refresh_batch (
  customer_id TEXT PRIMARY KEY
);

CREATE FUNCTION segment_changes_from_customer_ids() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO segment_changes (customer_id) SELECT DISTINCT customer_id FROM new_rows;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO segment_changes (customer_id) SELECT DISTINCT customer_id FROM old_rows;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER segment_changes_on_ledger AFTER INSERT ON ledger
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_changes_from_customer_ids();
CREATE TRIGGER segment_changes_on_order_insert AFTER INSERT ON orders
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_changes_from_customer_ids();
CREATE TRIGGER segment_changes_on_order_update AFTER UPDATE ON orders
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_changes_from_customer_ids();
CREATE TRIGGER segment_changes_on_order_delete AFTER DELETE ON orders
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_changes_from_customer_ids();

CREATE FUNCTION segment_changes_from_customers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO segment_changes (customer_id) SELECT id FROM new_rows;
  ELSIF TG_OP = 'UPDATE' THEN
    -- Only the attributes a rule can name.
    INSERT INTO segment_changes (customer_id)
      SELECT n.id FROM new_rows n LEFT JOIN old_rows o ON o.id = n.id
      WHERE o.id IS NULL OR (n.kind, n.locale, n.country, n.city, n.postal_code) IS DISTINCT FROM (o.kind, o.locale, o.country, o.city, o.postal_code);
    INSERT INTO segment_changes (customer_id) SELECT o.id FROM old_rows o WHERE NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.id = o.id);
  ELSE
    INSERT INTO segment_changes (customer_id) SELECT id FROM old_rows;
    DELETE FROM segment_members WHERE customer_id IN (SELECT id FROM old_rows);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER segment_changes_on_customer_insert AFTER INSERT ON customers
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_changes_from_customers();
CREATE TRIGGER segment_changes_on_customer_update AFTER UPDATE ON customers
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_changes_from_customers();
CREATE TRIGGER segment_changes_on_customer_delete AFTER DELETE ON customers
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_changes_from_customers();

-- No trigger on tracking_events: a rule on opens and clicks is a window of the last N days, so its
-- segment is recomputed whole at every refresh, and the pixel's hot path writes nothing more.

CREATE FUNCTION segment_changes_from_products() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO segment_changes (customer_id)
    SELECT DISTINCT o.customer_id FROM new_rows n JOIN old_rows p ON p.sku = n.sku AND p.category IS DISTINCT FROM n.category
    JOIN orders o ON o.sku = n.sku;
  RETURN NULL;
END $$;
CREATE TRIGGER segment_changes_on_product_update AFTER UPDATE ON products
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_changes_from_products();

-- Rule 7: an objection to direct marketing or to profiling deletes the person's memberships at once.
CREATE FUNCTION segment_members_gone_on_objection() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH objectors AS (
    SELECT DISTINCT customer_id FROM new_rows
    WHERE kind = 'objection' AND value = 'objected' AND purpose IN ('direct_marketing', 'profiling')
  ), gone AS (
    DELETE FROM segment_members m USING objectors o WHERE m.customer_id = o.customer_id RETURNING m.segment_id
  )
  UPDATE segments s SET member_count = s.member_count - g.n
    FROM (SELECT segment_id, COUNT(*) AS n FROM gone GROUP BY segment_id) g WHERE s.id = g.segment_id;
  RETURN NULL;
END $$;
CREATE TRIGGER segment_members_gone_on_objection AFTER INSERT ON ledger
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_members_gone_on_objection();

-- Orders dated ahead count from their start: a refresh also recomputes customers whose order began
-- since the last one (no write marks them when their start time arrives).
CREATE INDEX orders_by_start ON orders (started_at, customer_id);
